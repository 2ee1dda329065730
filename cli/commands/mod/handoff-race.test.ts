// Handing a release back deletes its ModuleRelease and removes the controller's finalizer by
// hand. A running controller sees the deletion too and may drop the finalizer first (the
// ModuleRelease is then gone: 404) or write the resource meanwhile (409). Neither may fail the
// handoff: on the suite's real API server, a client that lets a "controller" act just before
// our finalizer write shows both orders. (The controller's move is made by this test through
// the same API server; only its timing is forced.)
import { beforeAll, describe, expect, inject, it } from "vitest";
import { API_VERSION, FINALIZER, KIND } from "../../../controller/api/types.ts";
import { installCrd } from "../../../controller/__tests__/cluster.ts";
import { getRelease, releasePath, releasesPath } from "../../../controller/resource.ts";
import { ClusterClient } from "../../../providers/kubernetes/cluster/index.ts";
import { deleteModuleRelease } from "./handoff-steps.ts";
import { freshNamespace } from "../../../controller/__tests__/helpers.ts";

let client: ClusterClient;

beforeAll(async () => {
  client = ClusterClient.fromKubeconfig({ paths: [inject("kubeconfig")] });
  await installCrd(client);
}, 120_000);

async function finalizedRelease(namespace: string): Promise<void> {
  await client.json("POST", releasesPath(namespace), "creating the ModuleRelease", {
    body: {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: { name: "hello", namespace, finalizers: [FINALIZER] },
      spec: { module: { inline: { files: { "x.cue": "package x\n" } } } },
    },
  });
}

/** The real client, except that `before` runs once, just before the first finalizer write. */
function racedBy(before: () => Promise<void>): ClusterClient {
  let raced = false;
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key !== "json") return Reflect.get(target, key, receiver) as unknown;
      return async (method: string, path: string, subject: string, init?: object) => {
        if (!raced && subject.startsWith("updating the finalizers")) {
          raced = true;
          await before();
        }
        return target.json(method, path, subject, init);
      };
    },
  });
}

describe("handing back while a controller finalizes the ModuleRelease", () => {
  it("is done when the controller removed the finalizer first (the ModuleRelease is gone)", async () => {
    const ns = await freshNamespace(client, "handoff-race");
    await finalizedRelease(ns);
    const raced = racedBy(async () => {
      await client.json("PATCH", releasePath(ns, "hello"), "the controller's finalizer removal", {
        contentType: "application/merge-patch+json",
        body: { metadata: { finalizers: null } },
      });
    });
    await expect(deleteModuleRelease(raced, ns, "hello")).resolves.toBe(true);
    expect(await getRelease(client, ns, "hello")).toBeUndefined();
  });

  it("reads again when the controller wrote the ModuleRelease meanwhile (409), then removes the finalizer", async () => {
    const ns = await freshNamespace(client, "handoff-race");
    await finalizedRelease(ns);
    const raced = racedBy(async () => {
      await client.json("PATCH", releasePath(ns, "hello"), "the controller's write", {
        contentType: "application/merge-patch+json",
        body: { metadata: { annotations: { "example.com/touched": "yes" } } },
      });
    });
    await expect(deleteModuleRelease(raced, ns, "hello")).resolves.toBe(true);
    expect(await getRelease(client, ns, "hello")).toBeUndefined();
  });

  it("says there was nothing to delete", async () => {
    const ns = await freshNamespace(client, "handoff-race");
    await expect(deleteModuleRelease(client, ns, "hello")).resolves.toBe(false);
  });
});
