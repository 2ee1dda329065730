// Issue 11, item 6: ownership is never lost or stolen. A volume kept on prune stays the release's
// (retained in the inventory, so --prune-volumes, diff and delete still see it); an object another
// release adopted is never taken back or deleted; `configured` means a field we apply changed.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { isOpmError } from "../../../../sdk/errors.ts";
import { apply } from "../apply.ts";
import { ClusterClient } from "../client.ts";
import { releaseRefOf } from "../desired.ts";
import { diff } from "../diff.ts";
import { committedEntries, readInventory } from "../inventory.ts";
import { APPLYSET_PART_OF, releaseApplySetId } from "../labels.ts";
import type { KubeObject } from "../objects.ts";
import { remove } from "../remove.ts";
import { configMap, deployment, freshNamespace, pvc, release, testClient } from "./helpers.ts";
import { startApiProxy } from "./proxy.ts";

const client = testClient();
afterAll(() => client.close());

async function exists(path: string): Promise<KubeObject | undefined> {
  const res = await client.raw<KubeObject>("GET", path);
  return res.status === 200 && res.body.metadata.deletionTimestamp === undefined ? res.body : undefined;
}

describe("a volume kept on prune", () => {
  it("stays in the inventory as retained; diff shows it, --prune-volumes and delete remove it", async () => {
    const ns = await freshNamespace(client, "retain");
    const pvcPath = `/api/v1/namespaces/${ns}/persistentvolumeclaims/data`;
    const withVolume = release("app", ns, [
      ["db", pvc("data")],
      ["web", configMap("web")],
    ]);
    const without = release("app", ns, [["web", configMap("web")]]);
    await apply(withVolume, { client, wait: false });

    const pruning = await apply(without, { client, wait: false });
    expect(pruning.kept.map((r) => r.name)).toEqual(["data"]);
    expect(await exists(pvcPath)).toBeDefined();
    const inventory = await readInventory(client, releaseRefOf(without));
    expect(committedEntries(inventory).map((e) => [e.ref.name, e.retained === true])).toEqual([
      ["web", false],
      ["data", true],
    ]);

    const shown = await diff(without, { client });
    expect(shown.objects.map((o) => [o.id.name, o.state])).toEqual([
      ["web", "unchanged"],
      ["data", "retained"],
    ]);
    expect(shown.differs).toBe(false);
    // Keeping it again is no change at all.
    expect((await apply(without, { client, wait: false })).changed).toBe(false);

    const pruned = await apply(without, { client, wait: false, prunePvcs: true });
    expect(pruned.pruned.map((r) => r.name)).toEqual(["data"]);
    expect(await exists(pvcPath)).toBeUndefined();
    expect(
      committedEntries(await readInventory(client, releaseRefOf(without))).map((e) => e.ref.name),
    ).toEqual(["web"]);
  });

  it("is deleted with its release", async () => {
    const ns = await freshNamespace(client, "retain-del");
    await apply(
      release("app", ns, [
        ["db", pvc("data")],
        ["web", configMap("web")],
      ]),
      { client, wait: false },
    );
    await apply(release("app", ns, [["web", configMap("web")]]), { client, wait: false });
    const removed = await remove({ name: "app", namespace: ns }, { client, timeoutMs: 30_000 });
    expect(removed.deleted.map((r) => r.name).sort()).toEqual(["data", "web"]);
    expect(await exists(`/api/v1/namespaces/${ns}/persistentvolumeclaims/data`)).toBeUndefined();
  });
});

describe("an object another release adopted", () => {
  it("is never taken back nor deleted by the release that had it", async () => {
    const ns = await freshNamespace(client, "adopted");
    const a = release("first", ns, [["web", configMap("shared", { by: "first" })]]);
    const b = release("second", ns, [["web", configMap("shared", { by: "second" })]]);
    await apply(a, { client, wait: false });
    await apply(b, { client, wait: false, adopt: true });
    const path = `/api/v1/namespaces/${ns}/configmaps/shared`;
    const adopted = await exists(path);

    let refused: unknown;
    await apply(a, { client, wait: false }).catch((error: unknown) => (refused = error));
    expect(isOpmError(refused) && refused.key).toBe("ObjectOfOtherRelease");
    expect(isOpmError(refused) && refused.message).toMatch(
      /ConfigMap shared in namespace adopted-\w+: belongs to another release/,
    );
    // Another release's objects are never offered for adoption.
    expect(isOpmError(refused) && refused.hint).not.toContain("--adopt");
    const after = await exists(path);
    expect(after?.metadata.resourceVersion).toBe(adopted?.metadata.resourceVersion);
    expect(after?.metadata.labels?.[APPLYSET_PART_OF]).toBe(releaseApplySetId(releaseRefOf(b)));

    await remove({ name: "first", namespace: ns }, { client, timeoutMs: 30_000 });
    expect((await exists(path))?.["data"]).toEqual({ by: "second" });
  });
});

describe("apply says configured", () => {
  it("only when a field it applies changed, not when someone else touched the object meanwhile", async () => {
    const ns = await freshNamespace(client, "configured");
    // The server stores "0.5" CPU as "500m": live never equals the render, so every apply sends it.
    const web = deployment("web");
    const spec = web["spec"] as { template: { spec: { containers: Record<string, unknown>[] } } };
    spec.template.spec.containers[0]!["resources"] = { requests: { cpu: "0.5" } };
    const input = release("app", ns, [["web", web]]);
    await apply(input, { client, wait: false });

    const proxy = await startApiProxy(inject("kubeconfig"), mkdtempSync(join(tmpdir(), "opm-owned-")));
    const slow = ClusterClient.fromKubeconfig({ paths: [proxy.kubeconfig] });
    proxy.delayMs = 100;
    let touched: Promise<unknown> | undefined;
    try {
      const result = await apply(input, {
        client: slow,
        wait: false,
        onEvent: (e) => {
          // Between our read and our write, another manager annotates the Deployment.
          if (e.type === "write" && e.what.startsWith("Deployment") && touched === undefined)
            touched = client.json("PATCH", `/apis/apps/v1/namespaces/${ns}/deployments/web`, "touch", {
              body: { metadata: { annotations: { "example.com/touched": "yes" } } },
              contentType: "application/merge-patch+json",
              query: { fieldManager: "someone-else" },
            });
        },
      });
      await touched;
      expect(touched).toBeDefined();
      expect(result.objects.map((o) => o.action)).toEqual(["unchanged"]);
      expect(result.changed).toBe(false);
    } finally {
      slow.close();
      await proxy.close();
    }
    const live = await exists(`/apis/apps/v1/namespaces/${ns}/deployments/web`);
    expect(live?.metadata.annotations?.["example.com/touched"]).toBe("yes");
  });
});
