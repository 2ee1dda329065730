// Apply options and special kinds: field-manager conflicts and --force-conflicts, a CRD and its
// custom resources in one set, volumes and namespaces that prune leaves alone, --no-prune, and
// the history limit.
import { afterAll, describe, expect, it } from "vitest";
import { isOpmError } from "../../../../sdk/errors.ts";
import { apply } from "../apply.ts";
import { releaseRefOf } from "../desired.ts";
import { readInventory } from "../inventory.ts";
import type { KubeObject } from "../objects.ts";
import { configMap, freshNamespace, names, pvc, release, testClient } from "./helpers.ts";

const client = testClient();
afterAll(() => client.close());

describe("apply options", () => {
  it("names the other manager and field on a conflict, and takes it over with forceConflicts", async () => {
    const ns = await freshNamespace(client, "conflict");
    await client.json("PATCH", `/api/v1/namespaces/${ns}/configmaps/shared`, "cm", {
      body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "shared" }, data: { mode: "theirs" } },
      contentType: "application/apply-patch+yaml",
      query: { fieldManager: "helm" },
    });
    const input = release("app", ns, [["web", configMap("shared", { mode: "ours" })]]);
    const error = await apply(input, { client, wait: false, adopt: true }).catch((e: unknown) => e);
    expect(isOpmError(error) && error.key).toBe("FieldConflict");
    expect(isOpmError(error) && error.message).toContain(`.data.mode (owned by helm)`);
    expect(await readInventory(client, releaseRefOf(input))).toBeUndefined();
    await apply(input, { client, wait: false, adopt: true, forceConflicts: true });
    const live = await client.json<{ data: Record<string, string> }>(
      "GET",
      `/api/v1/namespaces/${ns}/configmaps/shared`,
      "cm",
    );
    expect(live.data["mode"]).toBe("ours");
  });

  it("applies a CRD and its custom resources in one set", async () => {
    const ns = await freshNamespace(client, "crd");
    const group = `${ns}.opmodel.dev`;
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `gadgets.${group}` },
      spec: {
        group,
        scope: "Namespaced",
        names: { plural: "gadgets", singular: "gadget", kind: "Gadget" },
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
          },
        ],
      },
    } as unknown as KubeObject;
    const gadget = {
      apiVersion: `${group}/v1`,
      kind: "Gadget",
      metadata: { name: "g1" },
      spec: { size: 3, extra: { kept: true } },
    } as unknown as KubeObject;
    const input = release("gadgets", ns, [
      ["api", crd],
      ["api", gadget],
    ]);
    const sorted = {
      ...input,
      resources: [...input.resources].sort((a) =>
        (a.object as KubeObject).kind === "CustomResourceDefinition" ? -1 : 1,
      ),
    };
    const result = await apply(sorted, { client, wait: false });
    expect(result.objects.map((o) => `${o.id.kind}:${o.action}`)).toEqual([
      "CustomResourceDefinition:created",
      "Gadget:created",
    ]);
    const live = await client.json<{ spec: unknown }>(
      "GET",
      `/apis/${group}/v1/namespaces/${ns}/gadgets/g1`,
      "gadget",
    );
    expect(live.spec).toEqual({ size: 3, extra: { kept: true } });
    // The CRD stays without pruneCrds; the custom resource goes.
    const pruned = await apply(release("gadgets", ns, [["api", configMap("left")]]), { client, wait: false });
    expect(pruned.pruned.map((p) => p.kind)).toEqual(["Gadget"]);
    expect(pruned.kept.map((p) => p.kind)).toEqual(["CustomResourceDefinition"]);
    await client.json(
      "DELETE",
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.${group}`,
      "crd",
    );
  });

  it("keeps volumes unless prunePvcs, and keeps stale entries with noPrune", async () => {
    const ns = await freshNamespace(client, "volumes");
    await apply(
      release("db", ns, [
        ["db", pvc("data")],
        ["db", configMap("a")],
        ["db", configMap("b")],
      ]),
      { client, wait: false },
    );
    const kept = await apply(
      release("db", ns, [
        ["db", configMap("a")],
        ["db", configMap("b")],
      ]),
      { client, wait: false },
    );
    expect(kept.kept.map((k) => `${k.kind}/${k.name}`)).toEqual(["PersistentVolumeClaim/data"]);
    expect(await names(client, `/api/v1/namespaces/${ns}/persistentvolumeclaims`)).toEqual(["data"]);

    const noPrune = await apply(release("db", ns, [["db", configMap("a")]]), {
      client,
      wait: false,
      noPrune: true,
    });
    expect(noPrune.pruned).toEqual([]);
    expect(await names(client, `/api/v1/namespaces/${ns}/configmaps`)).toEqual(["a", "b"]);
    // The stale entry stays recorded, so the next apply with pruning removes it; the kept volume
    // still carries the release label, so rendering it again needs no adopt.
    const later = await apply(
      release("db", ns, [
        ["db", configMap("a")],
        ["db", pvc("data")],
      ]),
      { client, wait: false },
    );
    expect(later.pruned.map((p) => p.name)).toEqual(["b"]);
    const volumes = await apply(release("db", ns, [["db", configMap("a")]]), {
      client,
      wait: false,
      prunePvcs: true,
    });
    expect(volumes.pruned.map((p) => p.kind)).toEqual(["PersistentVolumeClaim"]);
  });

  it("caps the change history at maxHistory", async () => {
    const ns = await freshNamespace(client, "history");
    for (const value of ["1", "2", "3", "4"]) {
      await apply(release("app", ns, [["web", configMap("c", { value })]]), {
        client,
        wait: false,
        maxHistory: 2,
      });
    }
    const inv = await readInventory(client, releaseRefOf(release("app", ns, [])));
    expect(inv?.index).toHaveLength(2);
    expect(Object.keys(inv?.changes ?? {})).toHaveLength(2);
  });
});
