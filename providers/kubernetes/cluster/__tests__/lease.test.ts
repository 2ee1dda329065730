// One apply at a time, for real. A slow apply (behind a proxy that delays every chunk) holds the
// release while it writes; a second apply of other values started meanwhile is refused before it
// writes anything, naming the holder and when it started; the cluster ends with exactly the first
// apply's values. An apply waiting with a lock timeout goes ahead once the holder is done.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { isOpmError } from "../../../../sdk/errors.ts";
import { apply } from "../apply.ts";
import { ClusterClient } from "../client.ts";
import { releaseRefOf } from "../desired.ts";
import { committedEntries, readInventory } from "../inventory.ts";
import type { KubeObject } from "../objects.ts";
import { configMap, freshNamespace, release, testClient } from "./helpers.ts";
import { startApiProxy } from "./proxy.ts";

const client = testClient();
afterAll(() => client.close());
const dir = mkdtempSync(join(tmpdir(), "opm-lease-"));

/** Eight ConfigMaps that all say which value set they belong to. */
const valueSet = (ns: string, set: string) =>
  release(
    "app",
    ns,
    Array.from({ length: 8 }, (_, i): [string, KubeObject] => ["web", configMap(`cm-${i}`, { set })]),
  );

async function liveSets(ns: string): Promise<string[]> {
  const list = await client.json<{ items: (KubeObject & { data?: { set?: string } })[] }>(
    "GET",
    `/api/v1/namespaces/${ns}/configmaps`,
    "configmaps",
  );
  return list.items
    .filter((o) => o.metadata.name.startsWith("cm-"))
    .map((o) => o.data?.set ?? "")
    .sort();
}

async function failure(promise: Promise<unknown>): Promise<{ key: string; message: string } | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (!isOpmError(error)) throw error;
    return { key: error.key, message: error.message };
  }
}

describe("one apply at a time", () => {
  it(
    "refuses a second apply while a slow one writes, before it writes anything",
    { timeout: 120_000 },
    async () => {
      const ns = await freshNamespace(client, "lease");
      await apply(valueSet(ns, "base"), { client, wait: false });
      const proxy = await startApiProxy(inject("kubeconfig"), dir);
      const slow = ClusterClient.fromKubeconfig({ paths: [proxy.kubeconfig] });
      proxy.delayMs = 150;
      let secondStarted: Promise<{ key: string; message: string } | undefined> | undefined;
      const secondWrites: string[] = [];
      try {
        const first = apply(valueSet(ns, "first"), {
          client: slow,
          wait: false,
          concurrency: 1,
          holder: "first-apply",
          onEvent: (e) => {
            // The first apply has written its pending record and starts on the objects.
            if (e.type === "write" && e.count === 2 && secondStarted === undefined) {
              secondStarted = failure(
                apply(valueSet(ns, "second"), {
                  client,
                  wait: false,
                  holder: "second-apply",
                  onEvent: (w) => w.type === "write" && secondWrites.push(w.what),
                }),
              );
            }
          },
        });
        await first;
        const second = await secondStarted;
        expect(second?.key).toBe("ReleaseLocked");
        expect(second?.message).toMatch(
          /^release app in namespace lease-\w+ is being applied by first-apply since \d{4}-\d\d-\d\dT[\d:.]+Z/,
        );
        expect(secondWrites).toEqual([]);
      } finally {
        slow.close();
        await proxy.close();
      }
      expect(await liveSets(ns)).toEqual(Array(8).fill("first"));
      const inventory = await readInventory(client, releaseRefOf(valueSet(ns, "first")));
      expect(inventory?.pending).toBeUndefined();
      expect(committedEntries(inventory)).toHaveLength(8);
    },
  );

  it(
    "lets two applies started together end with one value set, the last committer's",
    { timeout: 120_000 },
    async () => {
      const ns = await freshNamespace(client, "lease-race");
      await apply(valueSet(ns, "base"), { client, wait: false });
      const proxy = await startApiProxy(inject("kubeconfig"), dir);
      const slow = ClusterClient.fromKubeconfig({ paths: [proxy.kubeconfig] });
      proxy.delayMs = 50;
      const writes = { a: 0, b: 0 };
      const run = (set: "a" | "b", via: ClusterClient) =>
        apply(valueSet(ns, set), {
          client: via,
          wait: false,
          concurrency: 2,
          onEvent: (e) => {
            if (e.type === "write") writes[set] += 1;
          },
        }).then(
          (result) => ({ set, ok: true as const, changeId: result.changeId }),
          (error: unknown) => {
            if (!isOpmError(error)) throw error;
            return { set, ok: false as const, key: error.key };
          },
        );
      try {
        const results = await Promise.all([run("a", slow), run("b", client)]);
        const inventory = await readInventory(client, releaseRefOf(valueSet(ns, "a")));
        // Both may succeed, one after the other; the last to commit heads the inventory.
        const last = results.find((r) => r.ok && r.changeId === inventory?.index[0]);
        expect(last).toBeDefined();
        expect(await liveSets(ns)).toEqual(Array(8).fill(last?.set));
        for (const r of results) {
          if (r.ok) continue;
          expect(r.key).toMatch(/^(ReleaseLocked|InventoryConflict)$/);
          // A refused run got no further than (at most) trying to take the release.
          expect(writes[r.set]).toBeLessThanOrEqual(1);
        }
        expect(inventory?.pending).toBeUndefined();
      } finally {
        slow.close();
        await proxy.close();
      }
    },
  );

  it("waits for the holder with a lock timeout, then applies", { timeout: 120_000 }, async () => {
    const ns = await freshNamespace(client, "lease-wait");
    const proxy = await startApiProxy(inject("kubeconfig"), dir);
    const slow = ClusterClient.fromKubeconfig({ paths: [proxy.kubeconfig] });
    proxy.delayMs = 100;
    let second: Promise<unknown> | undefined;
    try {
      await apply(valueSet(ns, "first"), {
        client: slow,
        wait: false,
        concurrency: 1,
        onEvent: (e) => {
          if (e.type === "write" && e.count === 2 && second === undefined)
            second = apply(valueSet(ns, "second"), { client, wait: false, lockTimeoutMs: 60_000 });
        },
      });
      await second;
    } finally {
      slow.close();
      await proxy.close();
    }
    expect(await liveSets(ns)).toEqual(Array(8).fill("second"));
  });
});
