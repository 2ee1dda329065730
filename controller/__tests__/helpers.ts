// Test material for the controller against the suite's control plane: the CRD installed, a
// controller running with the CLI's render (as `opm controller run` wires it), ModuleReleases of
// the test module carried inline, and a bounded wait for what the controller does eventually.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { inject } from "vitest";
import { controllerPorts } from "../../cli/commands/controller/render-port.ts";
import { ClusterClient } from "../../providers/kubernetes/cluster/index.ts";
import { moduleReleaseCrd } from "../api/crd.ts";
import { API_VERSION, KIND, type ModuleRelease, type ModuleReleaseSpecInput } from "../api/types.ts";
import { startController, type RunningController } from "../controller.ts";
import { getRelease, releasePath, releasesPath } from "../resource.ts";
import { helloFiles } from "./hello-files.ts";

export { getRelease, helloFiles };

export function testClient(): ClusterClient {
  return ClusterClient.fromKubeconfig({ paths: [inject("kubeconfig")] });
}

export async function installCrd(client: ClusterClient): Promise<void> {
  const crd = moduleReleaseCrd() as { metadata: { name: string } };
  await client.json(
    "PATCH",
    `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
    "installing the CRD",
    {
      contentType: "application/apply-patch+yaml",
      body: crd,
      query: { fieldManager: "opm-test", force: "true" },
    },
  );
  await eventually("the CRD is established", async () => {
    const res = await client.raw(
      "GET",
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
    );
    const conditions = (res.body as { status?: { conditions?: { type: string; status: string }[] } }).status
      ?.conditions;
    return conditions?.some((c) => c.type === "Established" && c.status === "True") === true
      ? true
      : undefined;
  });
  // Discovery of the new group can lag behind Established.
  await eventually("ModuleReleases are served", async () =>
    (await client.raw("GET", releasesPath())).status === 200 ? true : undefined,
  );
}

export async function runController(client: ClusterClient, log: string[]): Promise<RunningController> {
  const home = mkdtempSync(join(tmpdir(), "opm-ctrl-home-"));
  const controller = await startController({
    client,
    ports: controllerPorts({ env: { HOME: home }, cwd: home, moduleOutput: new PassThrough() }),
    concurrency: 4,
    metricsAddress: { host: "127.0.0.1", port: 0 },
    baseBackoffMs: 300,
    log: (line) => log.push(line),
  });
  await controller.synced;
  return controller;
}

export async function freshNamespace(client: ClusterClient, prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString("hex")}`;
  await client.json("POST", "/api/v1/namespaces", `namespace ${name}`, {
    body: { apiVersion: "v1", kind: "Namespace", metadata: { name } },
  });
  return name;
}

export async function createRelease(
  client: ClusterClient,
  namespace: string,
  name: string,
  spec: Partial<ModuleReleaseSpecInput>,
): Promise<ModuleRelease> {
  return client.json<ModuleRelease>("POST", releasesPath(namespace), `creating ModuleRelease ${name}`, {
    body: {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: { name, namespace },
      spec: { module: { inline: { files: helloFiles() } }, interval: "2s", timeout: "60s", ...spec },
    },
  });
}

export async function patchSpec(
  client: ClusterClient,
  namespace: string,
  name: string,
  spec: object,
): Promise<void> {
  await client.json("PATCH", releasePath(namespace, name), `patching ModuleRelease ${name}`, {
    contentType: "application/merge-patch+json",
    body: { spec },
  });
}

/** The condition of `type` on the ModuleRelease now. */
export function condition(release: ModuleRelease | undefined, type: string) {
  return release?.status?.conditions?.find((c) => c.type === type);
}

/** The release once Ready=True for its current generation. */
export async function readyRelease(
  client: ClusterClient,
  namespace: string,
  name: string,
): Promise<ModuleRelease> {
  return eventually(`ModuleRelease ${namespace}/${name} Ready`, async () => {
    const release = await getRelease(client, namespace, name);
    const ready = condition(release, "Ready");
    return ready?.status === "True" && release?.status?.observedGeneration === release?.metadata.generation
      ? release
      : undefined;
  });
}

export async function getObject<T = Record<string, unknown>>(
  client: ClusterClient,
  path: string,
): Promise<T | undefined> {
  const res = await client.raw<T>("GET", path);
  return res.status === 404 ? undefined : res.body;
}

/** Polls `probe` until it returns a value (not undefined), for at most `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs / 1000}s waiting for ${what}${last === undefined ? "" : `: ${String(last)}`}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function eventsOf(
  client: ClusterClient,
  namespace: string,
  name: string,
): Promise<{ reason: string; type: string; message: string }[]> {
  const list = await client.json<{
    items: {
      reason: string;
      type: string;
      message: string;
      involvedObject: { name: string; kind: string };
    }[];
  }>("GET", `/api/v1/namespaces/${namespace}/events`, "listing events");
  return list.items.filter((e) => e.involvedObject.kind === KIND && e.involvedObject.name === name);
}
