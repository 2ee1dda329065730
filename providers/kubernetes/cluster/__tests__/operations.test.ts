// diff, status, listReleases, tree, events and remove against the real control plane.
import { afterAll, describe, expect, it } from "vitest";
import { isOpmError } from "../../../../sdk/errors.ts";
import { apply } from "../apply.ts";
import { releaseRefOf } from "../desired.ts";
import { diff } from "../diff.ts";
import { HIDDEN } from "../field-diff.ts";
import { readInventory } from "../inventory.ts";
import type { KubeObject } from "../objects.ts";
import { releaseEvents } from "../release-events.ts";
import { remove } from "../remove.ts";
import { listReleases, status } from "../status.ts";
import { tree } from "../tree.ts";
import { configMap, deployment, freshNamespace, names, release, service, testClient } from "./helpers.ts";

const client = testClient();
afterAll(() => client.close());

const secret = (value: string) =>
  ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "creds" },
    stringData: { password: value },
  }) as unknown as KubeObject;

describe("diff", () => {
  it("reports added, modified and orphaned objects on managed fields only, with secret values hidden", async () => {
    const ns = await freshNamespace(client, "diff");
    const v1 = release("app", ns, [
      ["web", deployment("web")],
      ["web", service("web")],
      ["web", configMap("old")],
      ["db", secret("first-password")],
    ]);
    await apply(v1, { client, timeoutMs: 60_000 });
    const same = await diff(v1, { client });
    expect(same.differs).toBe(false);
    expect(same.summary).toEqual({ added: 0, modified: 0, orphaned: 0, retained: 0, unchanged: 4 });

    const v2 = release("app", ns, [
      ["web", deployment("web", { replicas: 3 })],
      ["web", service("web")],
      ["web", configMap("new")],
      ["db", secret("second-password")],
    ]);
    const result = await diff(v2, { client });
    expect(result.summary).toEqual({ added: 1, modified: 2, orphaned: 1, retained: 0, unchanged: 1 });
    const web = result.objects.find((o) => o.id.kind === "Deployment");
    // Only our change: no status, managedFields or server defaults.
    expect(web?.changes).toEqual([{ path: ".spec.replicas", op: "change", before: 1, after: 3 }]);
    const text = JSON.stringify(result);
    expect(text).not.toContain("first-password");
    expect(text).not.toContain("second-password");
    expect(text).not.toContain(Buffer.from("second-password").toString("base64"));
    const creds = result.objects.find((o) => o.id.kind === "Secret");
    expect(creds?.state).toBe("modified");
    expect(String(creds?.changes[0]?.after)).toContain(HIDDEN);
    expect(result.objects.find((o) => o.state === "orphaned")?.id.name).toBe("old");
  });
});

describe("status, list, tree and events", () => {
  it("report health per object, the release list, owned children and events", async () => {
    const ns = await freshNamespace(client, "status");
    const input = release("shop", ns, [
      ["web", deployment("web", { replicas: 2 })],
      ["web", service("web")],
      ["config", configMap("settings")],
    ]);
    await apply(input, { client, timeoutMs: 60_000 });
    const ready = await status({ namespace: ns, name: "shop" }, { client });
    expect(ready.aggregate).toBe("Ready");
    expect(
      ready.objects.map((o) => `${o.component}:${o.id.kind}/${o.id.name}:${o.health.status}`).sort(),
    ).toEqual(["config:ConfigMap/settings:Ready", "web:Deployment/web:Ready", "web:Service/web:Ready"]);
    expect(ready.objects.find((o) => o.id.kind === "Deployment")?.replicas).toBe("2/2");
    const byId = await status({ namespace: ns, identity: input.release.identity }, { client });
    expect(byId.release.name).toBe("shop");

    await apply(release("other", ns, [["x", deployment("stuck", { nodeSelector: { "no-such": "node" } })]]), {
      client,
      wait: false,
    });
    const listed = await listReleases({ client, namespace: ns });
    expect(listed.map((r) => `${r.release.name}:${r.ready}/${r.total}:${r.aggregate}`)).toEqual([
      "other:0/1:NotReady",
      "shop:3/3:Ready",
    ]);
    const everywhere = await listReleases({ client });
    expect(everywhere.filter((r) => r.release.namespace === ns)).toHaveLength(2);

    const shape = await tree({ namespace: ns, name: "shop" }, { client });
    expect(shape.components.map((c) => c.name)).toEqual(["config", "web"]);
    const web = shape.components[1]?.objects.find((o) => o.id.kind === "Deployment");
    expect(web?.children.map((c) => c.id.kind)).toEqual(["ReplicaSet"]);
    expect(web?.children[0]?.children.map((c) => c.id.kind)).toEqual(["Pod", "Pod"]);

    const events = await releaseEvents({ namespace: ns, name: "shop" }, { client });
    expect(events.some((e) => e.object.kind === "Deployment" && e.reason === "ScalingReplicaSet")).toBe(true);
    expect(events.some((e) => e.object.kind === "ReplicaSet")).toBe(true);
    const warnings = await releaseEvents({ namespace: ns, name: "shop" }, { client, type: "Warning" });
    expect(warnings.every((e) => e.type === "Warning")).toBe(true);
  });

  it("reports a missing release as ReleaseNotFound", async () => {
    const error = await status({ namespace: "default", name: "no-such-release" }, { client }).catch(
      (e: unknown) => e,
    );
    expect(isOpmError(error) && error.key).toBe("ReleaseNotFound");
  });
});

describe("remove", () => {
  it("deletes exactly the inventory's objects, waits for them, and the inventory last", async () => {
    const ns = await freshNamespace(client, "remove");
    const input = release("app", ns, [
      ["web", deployment("web")],
      ["web", service("web")],
      ["web", configMap("mine")],
    ]);
    await apply(input, { client, wait: false });
    await client.json("POST", `/api/v1/namespaces/${ns}/configmaps`, "cm", {
      body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "not-mine" } },
    });
    const planned = await remove({ namespace: ns, name: "app" }, { client, dryRun: true });
    expect(planned.deleted.map((d) => d.kind)).toEqual(["Deployment", "Service", "ConfigMap"]);
    expect(await names(client, `/api/v1/namespaces/${ns}/configmaps`)).toContain("mine");
    const order: string[] = [];
    const result = await remove(
      { namespace: ns, name: "app" },
      { client, onEvent: (e) => e.type === "write" && order.push(e.what) },
    );
    expect(result.deleted).toHaveLength(3);
    expect(order.at(-1)).toBe("inventory (delete)");
    expect(order.indexOf(`delete Deployment web in namespace ${ns}`)).toBeLessThan(
      order.indexOf(`delete Service web in namespace ${ns}`),
    );
    expect(await names(client, `/api/v1/namespaces/${ns}/configmaps`)).toEqual(["not-mine"]);
    expect(await names(client, `/apis/apps/v1/namespaces/${ns}/deployments`)).toEqual([]);
    expect(await readInventory(client, releaseRefOf(input))).toBeUndefined();
    const again = await remove({ namespace: ns, name: "app" }, { client, ignoreNotFound: true });
    expect(again.found).toBe(false);
  });
  it("times out naming an object a finalizer holds, and keeps the inventory for a second run", async () => {
    const ns = await freshNamespace(client, "remove-held");
    const input = release("app", ns, [["web", configMap("held")]]);
    await apply(input, { client, wait: false });
    const path = `/api/v1/namespaces/${ns}/configmaps/held`;
    const merge = "application/merge-patch+json";
    await client.json("PATCH", path, "cm", {
      body: { metadata: { finalizers: ["example.com/hold"] } },
      contentType: merge,
    });
    const error = await remove({ namespace: ns, name: "app" }, { client, timeoutMs: 1_000 }).catch(
      (e: unknown) => e,
    );
    expect(isOpmError(error) && error.key).toBe("WaitTimeout");
    expect(isOpmError(error) && error.message).toContain("ConfigMap held");
    expect(await readInventory(client, releaseRefOf(input))).toBeDefined();
    await client.json("PATCH", path, "cm", { body: { metadata: { finalizers: null } }, contentType: merge });
    const again = await remove({ namespace: ns, name: "app" }, { client });
    expect(again.found).toBe(true);
    expect(await readInventory(client, releaseRefOf(input))).toBeUndefined();
  });

  it("creates no inventory for an empty release", async () => {
    const ns = await freshNamespace(client, "empty");
    const result = await apply(release("nothing", ns, []), { client });
    expect(result.changed).toBe(false);
    expect(await readInventory(client, releaseRefOf(release("nothing", ns, [])))).toBeUndefined();
  });
});
