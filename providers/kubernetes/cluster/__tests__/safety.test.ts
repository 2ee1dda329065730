// Atomicity, concurrent applies of one release, and waiting for health through kwok.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { isOpmError } from "../../../../sdk/errors.ts";
import { apply } from "../apply.ts";
import { ClusterClient } from "../client.ts";
import { releaseRefOf } from "../desired.ts";
import { readInventory } from "../inventory.ts";
import type { KubeObject } from "../objects.ts";
import {
  SYSTEM_CONFIGMAP,
  configMap,
  deployment,
  freshNamespace,
  release,
  service,
  testClient,
} from "./helpers.ts";
import { startApiProxy } from "./proxy.ts";

const client = testClient();
const tempDir = mkdtempSync(join(tmpdir(), "opm-safety-"));
afterAll(() => client.close());

const DUMPED = [
  "/api/v1/namespaces/NS/configmaps",
  "/api/v1/namespaces/NS/secrets",
  "/api/v1/namespaces/NS/services",
  "/apis/apps/v1/namespaces/NS/deployments",
  "/apis/apps/v1/namespaces/NS/statefulsets",
  "/apis/batch/v1/namespaces/NS/jobs",
];

/** Every object of the kinds a release writes, byte for byte. */
async function dump(ns: string): Promise<string> {
  const parts = await Promise.all(
    DUMPED.map((p) => client.json<{ items: KubeObject[] }>("GET", p.replace("NS", ns), p)),
  );
  return JSON.stringify(parts.map((p) => p.items.filter((o) => o.metadata.name !== SYSTEM_CONFIGMAP)));
}

async function outcome(
  promise: Promise<unknown>,
): Promise<{ ok: true } | { ok: false; key: string; message: string }> {
  try {
    await promise;
    return { ok: true };
  } catch (error) {
    if (!isOpmError(error)) throw error;
    return { ok: false, key: error.key, message: error.message };
  }
}

describe("atomic apply", () => {
  it("leaves the cluster byte-identical when the server rejects one object of the set", async () => {
    const ns = await freshNamespace(client, "atomic");
    await apply(
      release("shop", ns, [
        ["web", deployment("web")],
        ["web", service("web")],
        ["web", configMap("web", { a: "1" })],
      ]),
      {
        client,
        timeoutMs: 60_000,
      },
    );
    const before = await dump(ns);
    const invalid = { ...configMap("bad"), metadata: { name: "Not_A_Valid_Name" } } as KubeObject;
    const v2 = release("shop", ns, [
      ["web", deployment("web", { replicas: 3 })],
      ["web", service("web")],
      ["web", configMap("web", { a: "2" })],
      ["web", configMap("new-one")],
      ["web", invalid],
    ]);
    const result = await outcome(apply(v2, { client, wait: false }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.key).toBe("ObjectRejected");
      expect(result.message).toContain("Not_A_Valid_Name");
    }
    expect(await dump(ns)).toBe(before);
  });
});

// Two applies of one release started together are serialised by the release's lease (lease.ts):
// either one is refused before it writes (ReleaseLocked, or InventoryConflict when both read the
// same inventory), or the first finished before the second read the inventory and both succeed,
// one after the other. Either way the cluster and the inventory hold exactly one value set: the
// last committer's. (lease.test.ts forces the overlap with a slow proxy; here the timing is free.)
describe("concurrent applies of one release", () => {
  type Outcome = Awaited<ReturnType<typeof outcome>> & { set: string; changeId?: string };
  const run = (input: ReturnType<typeof release>, set: string, via: ClusterClient): Promise<Outcome> =>
    apply(input, { client: via, wait: false }).then(
      (result) => ({ ok: true, set, changeId: result.changeId }),
      (error: unknown) => {
        if (!isOpmError(error)) throw error;
        return { ok: false, key: error.key, message: error.message, set };
      },
    );

  /** The inventory's head is the last committer; live objects are exactly its set. */
  async function expectOneValueSet(ns: string, results: Outcome[], base: string[]): Promise<void> {
    for (const r of results) if (!r.ok) expect(r.key).toMatch(/^(ReleaseLocked|InventoryConflict)$/);
    const winners = results.filter((r) => r.ok);
    expect(winners.length).toBeGreaterThanOrEqual(1);
    const inv = await readInventory(client, releaseRefOf(release("app", ns, [])));
    const last = winners.find((r) => r.changeId === inv?.index[0]);
    expect(last).toBeDefined();
    const expected = [...base, last!.set].sort();
    expect(inv?.changes[inv.index[0] ?? ""]?.entries.map((e) => e.ref.name).sort()).toEqual(expected);
    expect(inv?.pending).toBeUndefined();
    const live = await client.json<{ items: KubeObject[] }>("GET", `/api/v1/namespaces/${ns}/configmaps`, ns);
    const shared = live.items.find((o) => o.metadata.name === "shared") as
      { data?: { by?: string } } | undefined;
    if (shared !== undefined) expect(shared.data?.by).toBe(last!.set);
    expect(
      live.items
        .map((o) => o.metadata.name)
        .filter((n) => n !== SYSTEM_CONFIGMAP)
        .sort(),
    ).toEqual(expected);
  }

  it("end with exactly one value set when two first installs race", async () => {
    const ns = await freshNamespace(client, "race1");
    const other = testClient();
    const a = release("app", ns, [
      ["web", configMap("a")],
      ["web", configMap("shared", { by: "a" })],
    ]);
    const b = release("app", ns, [
      ["web", configMap("b")],
      ["web", configMap("shared", { by: "b" })],
    ]);
    const results = await Promise.all([run(a, "a", client), run(b, "b", other)]);
    other.close();
    await expectOneValueSet(ns, results, ["shared"]);
  });

  it("end with exactly one value set when two upgrades race, and the inventory matches it", async () => {
    const ns = await freshNamespace(client, "race2");
    await apply(release("app", ns, [["web", configMap("base")]]), { client, wait: false });
    const other = testClient();
    const a = release("app", ns, [
      ["web", configMap("base")],
      ["web", configMap("from-a")],
    ]);
    const b = release("app", ns, [
      ["web", configMap("base")],
      ["web", configMap("from-b")],
    ]);
    const results = await Promise.all([run(a, "from-a", client), run(b, "from-b", other)]);
    other.close();
    await expectOneValueSet(ns, results, ["base"]);
  });
});

describe("waiting for health", () => {
  it("waits until a Deployment is Available through kwok", async () => {
    const ns = await freshNamespace(client, "wait-ok");
    const healthEvents: string[] = [];
    await apply(release("app", ns, [["web", deployment("web", { replicas: 2 })]]), {
      client,
      timeoutMs: 60_000,
      onEvent: (e) => e.type === "health" && healthEvents.push(e.health.status),
    });
    const live = await client.json<{
      status: { conditions: { type: string; status: string }[]; readyReplicas: number };
    }>("GET", `/apis/apps/v1/namespaces/${ns}/deployments/web`, "web");
    expect(live.status.readyReplicas).toBe(2);
    expect(live.status.conditions.find((c) => c.type === "Available")?.status).toBe("True");
    expect(healthEvents.at(-1)).toBe("Ready");
  });

  it("keeps waiting through a lost connection, and reports it as a warning", async () => {
    const ns = await freshNamespace(client, "wait-lost");
    const proxy = await startApiProxy(inject("kubeconfig"), tempDir);
    const viaProxy = ClusterClient.fromKubeconfig({ paths: [proxy.kubeconfig] }, { requestTimeoutMs: 2_000 });
    const warnings: string[] = [];
    try {
      await apply(release("app", ns, [["web", deployment("web", { replicas: 2 })]]), {
        client: viaProxy,
        timeoutMs: 60_000,
        onEvent: (e) => {
          if (e.type === "phase" && e.phase === "waiting") {
            proxy.cut();
            setTimeout(() => proxy.restore(), 3_000);
          }
          if (e.type === "warning") warnings.push(e.message);
        },
      });
    } finally {
      viaProxy.close();
      await proxy.close();
    }
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toMatch(/^cannot reach the cluster at https:\/\/127\.0\.0\.1:\d+: .*; retrying$/);
    const live = await client.json<{ status: { readyReplicas: number } }>(
      "GET",
      `/apis/apps/v1/namespaces/${ns}/deployments/web`,
      "web",
    );
    expect(live.status.readyReplicas).toBe(2);
  });

  it("times out naming a Deployment whose pods can never be scheduled", async () => {
    const ns = await freshNamespace(client, "wait-stuck");
    const stuck = deployment("stuck", { nodeSelector: { "opm.example/no-such-node": "true" } });
    const started = Date.now();
    const result = await outcome(
      apply(
        release("app", ns, [
          ["web", configMap("fine")],
          ["web", stuck],
        ]),
        { client, timeoutMs: 4_000 },
      ),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_000);
    expect(result).toMatchObject({ ok: false, key: "WaitTimeout" });
    if (!result.ok) {
      expect(result.message).toContain("Deployment stuck in namespace");
      expect(result.message).toContain("0/1 replicas available");
      expect(result.message).toMatch(
        /last warning: FailedScheduling: .*didn't match Pod's node affinity\/selector/,
      );
      expect(result.message).not.toContain("ConfigMap fine");
    }
  });
});
