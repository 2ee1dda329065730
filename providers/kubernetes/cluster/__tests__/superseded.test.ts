// RFC-0003's garbage collection against the real control plane (kube-controller-manager rolls
// the Deployment; kwok runs its pods and marks them ready): a changed immutable ConfigMap gets a
// new hashed name, the Deployment rolls to it, and the previous generation stays - retained in
// the inventory with the reason - until no pod reads it any more; then `--wait` or the next
// apply prunes it. A rollback inside that window finds its config.
import { afterAll, describe, expect, it } from "vitest";
import { apply, type ApplyOptions } from "../apply.ts";
import { committedEntries, readInventory } from "../inventory.ts";
import { releaseRefOf, type ReleaseInput } from "../desired.ts";
import type { KubeObject } from "../objects.ts";
import { configReaders, stillReadReason, supersededEntries } from "../superseded.ts";
import { configMap, deployment, freshNamespace, names, release, testClient } from "./helpers.ts";

const client = testClient();
afterAll(() => client.close());
const opts = (extra: Partial<ApplyOptions> = {}): ApplyOptions => ({
  client,
  wait: false,
  timeoutMs: 90_000,
  ...extra,
});

/** The app at one generation of its settings: `settings-<generation>` mounted by the Deployment. */
function generation(namespace: string, hash: string, data: Record<string, string>): ReleaseInput {
  const web = deployment("web");
  const spec = web["spec"] as { template: { spec: Record<string, unknown> } };
  spec.template.spec["volumes"] = [{ name: "settings", configMap: { name: `settings-${hash}` } }];
  const settings = { ...configMap(`settings-${hash}`, data), immutable: true } as KubeObject;
  return release("app", namespace, [
    ["web", settings],
    ["web", web],
  ]);
}

async function configMaps(namespace: string): Promise<string[]> {
  return names(client, `/api/v1/namespaces/${namespace}/configmaps`);
}

async function entries(input: ReleaseInput) {
  const inventory = await readInventory(client, releaseRefOf(input));
  return committedEntries(inventory)
    .filter((e) => e.ref.kind === "ConfigMap")
    .map((e) => `${e.ref.name}${e.retained === true ? ` retained: ${e.reason ?? ""}` : ""}`)
    .sort();
}

/** Until no pod or ReplicaSet of the namespace reads `name` (the rollout is over), ≤ 60 s. */
async function untilUnread(namespace: string, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await configReaders(client, namespace, [])).byName.has(`ConfigMap/${name}`)) {
    if (Date.now() > deadline) throw new Error(`${name} is still read after 60 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("superseded config is pruned once its rollout is over", () => {
  it("keeps the previous generation while the Deployment rolls; the next apply prunes it", async () => {
    const ns = await freshNamespace(client, "gc-next");
    const v1 = generation(ns, "aaaaaaaaaa", { level: "info" });
    const v2 = generation(ns, "bbbbbbbbbb", { level: "debug" });
    await apply(v1, opts({ wait: true }));

    const rolling = await apply(v2, opts());
    // Never earlier: the old pods still mount settings-aaaaaaaaaa.
    expect(rolling.pruned).toEqual([]);
    expect(rolling.kept.map((r) => r.name)).toEqual(["settings-aaaaaaaaaa"]);
    expect(await configMaps(ns)).toEqual(["settings-aaaaaaaaaa", "settings-bbbbbbbbbb"]);
    const retained = await entries(v2);
    expect(retained).toHaveLength(2);
    expect(retained[0]).toMatch(
      /^settings-aaaaaaaaaa retained: superseded; still read by (Pod|ReplicaSet) web-\S+ until its rollout completes$/,
    );
    expect(retained[1]).toBe("settings-bbbbbbbbbb");

    await untilUnread(ns, "settings-aaaaaaaaaa");
    const next = await apply(v2, opts());
    expect(next.pruned.map((r) => r.name)).toEqual(["settings-aaaaaaaaaa"]);
    expect(await configMaps(ns)).toEqual(["settings-bbbbbbbbbb"]);
    expect(await entries(v2)).toEqual(["settings-bbbbbbbbbb"]);
    // Settled: nothing left to do.
    expect((await apply(v2, opts())).changed).toBe(false);
  }, 180_000);

  it("with --wait, prunes the previous generation in the same run once the rollout is over", async () => {
    const ns = await freshNamespace(client, "gc-wait");
    const v1 = generation(ns, "aaaaaaaaaa", { level: "info" });
    const v2 = generation(ns, "bbbbbbbbbb", { level: "debug" });
    await apply(v1, opts({ wait: true }));
    const events: string[] = [];
    const result = await apply(
      v2,
      opts({
        wait: true,
        onEvent: (e) => {
          if (e.type === "object" && e.id.kind === "ConfigMap") events.push(`${e.action} ${e.id.name}`);
        },
      }),
    );
    expect(result.pruned.map((r) => r.name)).toEqual(["settings-aaaaaaaaaa"]);
    expect(result.kept).toEqual([]);
    // Kept while the Deployment rolled, pruned after.
    expect(events).toEqual([
      "created settings-bbbbbbbbbb",
      "kept settings-aaaaaaaaaa",
      "pruned settings-aaaaaaaaaa",
    ]);
    expect(await configMaps(ns)).toEqual(["settings-bbbbbbbbbb"]);
    expect(await entries(v2)).toEqual(["settings-bbbbbbbbbb"]);
  }, 180_000);

  it("a rollback inside the window finds its config, and the abandoned generation goes after", async () => {
    const ns = await freshNamespace(client, "gc-back");
    const v1 = generation(ns, "aaaaaaaaaa", { level: "info" });
    const v2 = generation(ns, "bbbbbbbbbb", { level: "debug" });
    await apply(v1, opts({ wait: true }));
    await apply(v2, opts());
    expect(await configMaps(ns)).toEqual(["settings-aaaaaaaaaa", "settings-bbbbbbbbbb"]);

    // Back to v1 while v2 rolls: its ConfigMap is still there, unchanged, rendered again.
    const back = await apply(v1, opts({ wait: true }));
    expect(back.objects.map((o) => `${o.id.name} ${o.action}`)).toEqual([
      "settings-aaaaaaaaaa unchanged",
      "web configured",
    ]);
    expect(await entries(v1)).toEqual(["settings-aaaaaaaaaa"]);
    expect(await configMaps(ns)).toEqual(["settings-aaaaaaaaaa"]);
    expect(back.pruned.map((r) => r.name)).toEqual(["settings-bbbbbbbbbb"]);
  }, 180_000);
});

describe("which stale entries wait for a rollout", () => {
  const ref = (kind: string, name: string) => ({ apiVersion: "v1", kind, namespace: "shop", name });
  const entry = (kind: string, name: string) => ({ ref: ref(kind, name), component: "web" });

  it("only an earlier hashed generation of a ConfigMap or Secret the render still has", () => {
    const stale = [
      entry("ConfigMap", "settings-78f06a6724"),
      entry("Secret", "db-0123456789"),
      entry("ConfigMap", "gone-78f06a6724"),
      entry("ConfigMap", "plain"),
      { ref: { ...ref("Deployment", "web-78f06a6724"), apiVersion: "apps/v1" }, component: "web" },
    ];
    const rendered = [
      ref("ConfigMap", "settings-0c1d2e3f4a"),
      ref("Secret", "db-abcdefabcd"),
      ref("ConfigMap", "plain"),
    ];
    expect(supersededEntries(stale, rendered).map((e) => e.ref.name)).toEqual([
      "settings-78f06a6724",
      "db-0123456789",
    ]);
  });

  it("keeps a superseded entry while read, or while whether it is read is unknown", () => {
    const old = entry("ConfigMap", "settings-78f06a6724");
    const superseded = new Set(["ConfigMap/settings-78f06a6724"]);
    const byName = new Map([["ConfigMap/settings-78f06a6724", "Pod web-1"]]);
    expect(stillReadReason(old, { byName, lasting: new Set(), superseded })).toBe(
      "superseded; still read by Pod web-1 until its rollout completes",
    );
    expect(stillReadReason(old, { byName: new Map(), lasting: new Set(), superseded })).toBeUndefined();
    expect(
      stillReadReason(old, {
        byName: new Map(),
        lasting: new Set(),
        superseded,
        unknown: "listing pods in shop is forbidden",
      }),
    ).toBe(
      "superseded; kept because whether pods still read it is unknown (listing pods in shop is forbidden)",
    );
    // Not superseded (its component is gone): never held back by a reader.
    expect(stillReadReason(old, { byName, lasting: new Set(), superseded: new Set() })).toBeUndefined();
    expect(stillReadReason(old, undefined)).toBeUndefined();
  });
});
