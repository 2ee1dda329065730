// Crash safety: an apply killed (SIGKILL, no cleanup) before its 1st, 2nd, ... 20th write is
// followed by a rerun, forward to version 2 or back to version 1. Every rerun must converge:
// exactly the rendered objects carry the release's label, and the inventory has no pending record
// and lists exactly them.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, inject, it } from "vitest";
import { apply } from "../apply.ts";
import { releaseRefOf } from "../desired.ts";
import { committedEntries, readInventory } from "../inventory.ts";
import { APPLYSET_PART_OF, releaseApplySetId } from "../labels.ts";
import { mapLimit } from "../limit.ts";
import type { KubeObject } from "../objects.ts";
import { crashRelease } from "./crash-release.ts";
import { freshNamespace, testClient } from "./helpers.ts";

const client = testClient();
afterAll(() => client.close());
const child = fileURLToPath(new URL("./crash-child.ts", import.meta.url));

function runKilledApply(
  namespace: string,
  killAt: number,
): Promise<{ signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ["--import", "tsx", child, inject("kubeconfig"), namespace, String(killAt)],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let stdout = "";
    proc.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    proc.on("error", reject);
    proc.on("exit", (_code, signal) => resolve({ signal, stdout }));
  });
}

async function labelled(ns: string, partOf: string): Promise<string[]> {
  const selector = `${APPLYSET_PART_OF}=${partOf}`;
  const paths = [
    `/api/v1/namespaces/${ns}/configmaps`,
    `/api/v1/namespaces/${ns}/services`,
    `/apis/apps/v1/namespaces/${ns}/deployments`,
  ];
  const lists = await Promise.all(
    paths.map((p) =>
      client.json<{ items: KubeObject[] }>("GET", p, p, { query: { labelSelector: selector } }),
    ),
  );
  return lists
    .flatMap((l, i) =>
      l.items
        .filter((o) => o.metadata.deletionTimestamp === undefined)
        .map((o) => `${["ConfigMap", "Service", "Deployment"][i]}/${o.metadata.name}`),
    )
    .sort();
}

describe("crash safety", () => {
  it("converges after the apply process is killed at each of 20 points", { timeout: 300_000 }, async () => {
    const points = Array.from({ length: 20 }, (_, i) => i + 1);
    const outcomes = await mapLimit(points, 4, async (killAt) => {
      const ns = await freshNamespace(client, `crash-${killAt}`);
      await apply(crashRelease(ns, 1), { client, wait: false });
      const killed = await runKilledApply(ns, killAt);
      const target = killAt % 2 === 0 ? 1 : 2;
      const input = crashRelease(ns, target);
      // The killed run's lock is live until it expires: the rerun waits for that.
      await apply(input, { client, wait: false, lockTimeoutMs: 20_000 });
      const inventory = await readInventory(client, releaseRefOf(input));
      const expected = input.resources.map((r) => {
        const o = r.object as KubeObject;
        return `${o.kind}/${o.metadata.name}`;
      });
      return {
        killAt,
        killed: killed.signal === "SIGKILL",
        pending: inventory?.pending !== undefined,
        inventory: committedEntries(inventory)
          .map((e) => `${e.ref.kind}/${e.ref.name}`)
          .sort(),
        live: await labelled(ns, releaseApplySetId(releaseRefOf(input))),
        expected: expected.sort(),
      };
    });
    for (const o of outcomes) {
      expect(o.killed, `apply was killed before write ${o.killAt}`).toBe(true);
      expect(o.pending, `no pending record after kill ${o.killAt}`).toBe(false);
      expect(o.inventory, `inventory after kill ${o.killAt}`).toEqual(o.expected);
      expect(o.live, `live objects after kill ${o.killAt}`).toEqual(o.expected);
    }
  });
});
