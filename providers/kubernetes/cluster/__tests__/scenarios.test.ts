// RFC-0001's release-inventory scenarios A–L, each against the real control plane.
import { afterAll, describe, expect, it } from "vitest";
import { isOpmError } from "../../../../sdk/errors.ts";
import { apply, type ApplyOptions } from "../apply.ts";
import { committedEntries, readInventory } from "../inventory.ts";
import { inventoryName } from "../labels.ts";
import { releaseRefOf } from "../desired.ts";
import type { KubeObject } from "../objects.ts";
import {
  configMap,
  deployment,
  freshNamespace,
  names,
  release,
  service,
  statefulSet,
  testClient,
} from "./helpers.ts";

const client = testClient();
afterAll(() => client.close());
const opts = (extra: Partial<ApplyOptions> = {}): ApplyOptions => ({ client, wait: false, ...extra });

async function expectError(promise: Promise<unknown>, key: string): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isOpmError(error), `expected an OpmError ${key}, got ${String(error)}`).toBe(true);
  if (!isOpmError(error)) return "";
  expect(error.key).toBe(key);
  return error.message;
}

async function uidOf(path: string): Promise<string | undefined> {
  const res = await client.raw<KubeObject>("GET", path);
  return res.status === 200 ? res.body.metadata.uid : undefined;
}

describe("RFC-0001 scenarios", () => {
  it("A: a rename prunes the old object after creating the new one", async () => {
    const ns = await freshNamespace(client, "scn-a");
    await apply(release("mc", ns, [["server", statefulSet("minecraft")]]), opts());
    const result = await apply(release("mc", ns, [["server", statefulSet("minecraft-server")]]), opts());
    expect(result.objects.map((o) => [o.id.name, o.action])).toEqual([["minecraft-server", "created"]]);
    expect(result.pruned.map((p) => p.name)).toEqual(["minecraft"]);
    expect(await names(client, `/apis/apps/v1/namespaces/${ns}/statefulsets`)).toEqual(["minecraft-server"]);
    const inv = await readInventory(client, releaseRefOf(release("mc", ns, [])));
    expect(committedEntries(inv).map((e) => e.ref.name)).toEqual(["minecraft-server"]);
  });

  it("B: a failed apply prunes nothing and does not commit the inventory", async () => {
    const ns = await freshNamespace(client, "scn-b");
    const v1 = release("shop", ns, [["web", configMap("web-config")]]);
    await apply(v1, opts());
    const before = await readInventory(client, releaseRefOf(v1));
    // Rejected by the server: nothing at all is written.
    const bad = { ...service("web"), spec: { ports: [{ port: 999999 }] } } as KubeObject;
    const v2 = release("shop", ns, [
      ["web", configMap("other")],
      ["web", bad],
    ]);
    await expectError(apply(v2, opts()), "ObjectRejected");
    expect(await names(client, `/api/v1/namespaces/${ns}/configmaps`)).toEqual(["web-config"]);
    expect((await readInventory(client, releaseRefOf(v1)))?.resourceVersion).toBe(before?.resourceVersion);
    // Failing half-way (stopped after the pending record and one object): no prune, no commit.
    const controller = new AbortController();
    const v3 = release("shop", ns, [
      ["web", configMap("other")],
      ["web", configMap("third")],
    ]);
    const stopAfterTwo = apply(
      v3,
      opts({
        concurrency: 1,
        onEvent: (e) => e.type === "write" && e.count === 2 && controller.abort(),
        signal: controller.signal,
      }),
    );
    await expectError(stopAfterTwo, "ApplyInterrupted");
    expect(await names(client, `/api/v1/namespaces/${ns}/configmaps`)).toEqual(["other", "web-config"]);
    const after = await readInventory(client, releaseRefOf(v1));
    expect(after?.index).toEqual(before?.index);
    // The pending record lists exactly what exists: "third" was never written.
    expect(after?.pending?.entries.map((e) => e.ref.name).sort()).toEqual(["other", "web-config"]);
  });

  it("C: a removed component's objects are pruned; an empty render is refused without force", async () => {
    const ns = await freshNamespace(client, "scn-c");
    await apply(
      release("app", ns, [
        ["web", configMap("web")],
        ["db", configMap("db")],
        ["db", service("db")],
      ]),
      opts(),
    );
    const result = await apply(release("app", ns, [["web", configMap("web")]]), opts());
    expect(result.pruned.map((p) => `${p.kind}/${p.name}`).sort()).toEqual(["ConfigMap/db", "Service/db"]);
    expect(await names(client, `/api/v1/namespaces/${ns}/services`)).toEqual([]);
    await expectError(apply(release("app", ns, []), opts()), "EmptyRenderPrune");
    expect(await names(client, `/api/v1/namespaces/${ns}/configmaps`)).toContain("web");
    await apply(release("app", ns, []), opts({ allowEmpty: true }));
    expect(await names(client, `/api/v1/namespaces/${ns}/configmaps`)).toEqual([]);
  });

  it("D: a first apply creates every object and an inventory without manifests or secret values", async () => {
    const ns = await freshNamespace(client, "scn-d");
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "creds" },
      stringData: { password: "hunter2-very-secret" },
    } as unknown as KubeObject;
    const input = release("blog", ns, [
      ["web", deployment("web")],
      ["web", service("web")],
      ["db", secret],
    ]);
    const result = await apply(input, opts());
    expect(result.objects.map((o) => o.action)).toEqual(["created", "created", "created"]);
    const raw = await client.json<{
      data: Record<string, string>;
      type: string;
      metadata: { labels: Record<string, string> };
    }>("GET", `/api/v1/namespaces/${ns}/secrets/${inventoryName(releaseRefOf(input))}`, "inventory");
    expect(raw.type).toBe("opmodel.dev/release");
    expect(raw.metadata.labels["applyset.kubernetes.io/id"]).toMatch(/^applyset-.*-v1$/);
    const decoded = Object.values(raw.data)
      .map((v) => Buffer.from(v, "base64").toString())
      .join("\n");
    expect(decoded).not.toContain("hunter2");
    expect(decoded).not.toContain("nginx"); // no manifests
    const inv = await readInventory(client, releaseRefOf(input));
    expect(inv?.createdBy).toBe("cli");
    expect(inv?.index).toHaveLength(1);
    expect(
      committedEntries(inv)
        .map((e) => `${e.component}:${e.ref.kind}/${e.ref.name}`)
        .sort(),
    ).toEqual(["db:Secret/creds", "web:Deployment/web", "web:Service/web"]);
    const web = await client.json<KubeObject>("GET", `/apis/apps/v1/namespaces/${ns}/deployments/web`, "web");
    expect(web.metadata.labels?.["applyset.kubernetes.io/part-of"]).toBe(
      raw.metadata.labels["applyset.kubernetes.io/id"],
    );
  });

  it("E: a lost inventory Secret is rebuilt from the release's labelled objects", async () => {
    const ns = await freshNamespace(client, "scn-e");
    const input = release("app", ns, [
      ["web", configMap("web")],
      ["api", configMap("api")],
    ]);
    await apply(input, opts());
    await client.json(
      "DELETE",
      `/api/v1/namespaces/${ns}/secrets/${inventoryName(releaseRefOf(input))}`,
      "inventory",
    );
    const again = await apply(input, opts());
    expect(again.objects.every((o) => o.action === "unchanged")).toBe(true);
    expect(committedEntries(await readInventory(client, releaseRefOf(input))).length).toBe(2);
    const pruning = await apply(release("app", ns, [["web", configMap("web")]]), opts());
    expect(pruning.pruned.map((p) => p.name)).toEqual(["api"]);
  });

  it("F: a ghost from an interrupted apply is pruned when the release is reverted", async () => {
    const ns = await freshNamespace(client, "scn-f");
    const v1 = release("app", ns, [["web", configMap("web")]]);
    await apply(v1, opts());
    const controller = new AbortController();
    const v2 = release("app", ns, [
      ["web", configMap("web")],
      ["extra", configMap("ghost")],
      ["extra", service("ghost")],
    ]);
    await expectError(
      apply(
        v2,
        opts({
          concurrency: 1,
          signal: controller.signal,
          onEvent: (e) => e.type === "write" && e.count === 2 && controller.abort(),
        }),
      ),
      "ApplyInterrupted",
    );
    expect(await names(client, `/api/v1/namespaces/${ns}/configmaps`)).toContain("ghost");
    const reverted = await apply(v1, opts());
    expect(reverted.pruned.map((p) => p.name)).toEqual(["ghost"]);
    expect(await names(client, `/api/v1/namespaces/${ns}/configmaps`)).toEqual(["web"]);
    expect((await readInventory(client, releaseRefOf(v1)))?.pending).toBeUndefined();
  });

  it("G: a kind change creates the new kind and prunes the old one", async () => {
    const ns = await freshNamespace(client, "scn-g");
    await apply(release("app", ns, [["app", deployment("app")]]), opts());
    const result = await apply(release("app", ns, [["app", statefulSet("app")]]), opts());
    expect(result.pruned.map((p) => `${p.kind}/${p.name}`)).toEqual(["Deployment/app"]);
    expect(await names(client, `/apis/apps/v1/namespaces/${ns}/deployments`)).toEqual([]);
    expect(await names(client, `/apis/apps/v1/namespaces/${ns}/statefulsets`)).toEqual(["app"]);
  });

  it("H: re-applying the same release changes nothing, not even the inventory", async () => {
    const ns = await freshNamespace(client, "scn-h");
    const input = release("app", ns, [
      ["web", deployment("web")],
      ["web", service("web")],
      ["web", configMap("web")],
    ]);
    await apply(input, opts());
    const before = await readInventory(client, releaseRefOf(input));
    const again = await apply(input, opts());
    expect(again.changed).toBe(false);
    expect(again.objects.map((o) => o.action)).toEqual(["unchanged", "unchanged", "unchanged"]);
    const after = await readInventory(client, releaseRefOf(input));
    expect(after?.resourceVersion).toBe(before?.resourceVersion);
    expect(after?.index).toHaveLength(1);
  });

  it("I: a changed template with the same module version is a new change and reconfigures", async () => {
    const ns = await freshNamespace(client, "scn-i");
    await apply(release("app", ns, [["web", configMap("web", { a: "1" })]]), opts());
    const result = await apply(release("app", ns, [["web", configMap("web", { a: "2" })]]), opts());
    expect(result.objects.map((o) => o.action)).toEqual(["configured"]);
    const inv = await readInventory(client, releaseRefOf(release("app", ns, [])));
    expect(inv?.index).toHaveLength(2);
    const cm = await client.json<{ data: Record<string, string> }>(
      "GET",
      `/api/v1/namespaces/${ns}/configmaps/web`,
      "cm",
    );
    expect(cm.data).toEqual({ a: "2" });
  });

  it("J: a component rename keeps an object whose identity did not change", async () => {
    const ns = await freshNamespace(client, "scn-j");
    await apply(release("app", ns, [["frontend", configMap("site")]]), opts());
    const uid = await uidOf(`/api/v1/namespaces/${ns}/configmaps/site`);
    const result = await apply(release("app", ns, [["web", configMap("site")]]), opts());
    expect(result.pruned).toEqual([]);
    expect(await uidOf(`/api/v1/namespaces/${ns}/configmaps/site`)).toBe(uid);
    expect(
      committedEntries(await readInventory(client, releaseRefOf(release("app", ns, []))))[0]?.component,
    ).toBe("web");
  });

  it("K: an existing object the release does not own fails the first apply unless adopted", async () => {
    const ns = await freshNamespace(client, "scn-k");
    await client.json("POST", `/api/v1/namespaces/${ns}/configmaps`, "cm", {
      body: { ...configMap("shared", { owner: "someone" }), metadata: { name: "shared" } },
    });
    const input = release("app", ns, [
      ["web", configMap("shared")],
      ["web", configMap("mine")],
    ]);
    const message = await expectError(apply(input, opts()), "ObjectNotOwned");
    expect(message).toContain("ConfigMap shared");
    expect(await readInventory(client, releaseRefOf(input))).toBeUndefined();
    expect(await names(client, `/api/v1/namespaces/${ns}/configmaps`)).toEqual(["shared"]);
    const adopted = await apply(input, opts({ adopt: true }));
    expect(adopted.objects.map((o) => `${o.id.name}:${o.action}`).sort()).toEqual([
      "mine:created",
      "shared:configured",
    ]);
  });

  it("L: an object being deleted fails the apply with a message naming it", async () => {
    const ns = await freshNamespace(client, "scn-l");
    const input = release("app", ns, [["web", configMap("held")]]);
    await apply(input, opts());
    const path = `/api/v1/namespaces/${ns}/configmaps/held`;
    await client.json("PATCH", path, "cm", {
      body: { metadata: { finalizers: ["example.com/hold"] } },
      contentType: "application/merge-patch+json",
    });
    await client.json("DELETE", path, "cm");
    const message = await expectError(apply(input, opts()), "ObjectTerminating");
    expect(message).toContain("ConfigMap held");
    await client.json("PATCH", path, "cm", {
      body: { metadata: { finalizers: null } },
      contentType: "application/merge-patch+json",
    });
  });
});
