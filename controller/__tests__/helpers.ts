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
import { API_VERSION, KIND, type ModuleRelease, type ModuleReleaseSpecInput } from "../api/types.ts";
import { startController, type RunningController } from "../controller.ts";
import { getRelease, releasePath, releasesPath } from "../resource.ts";
import { eventually, installCrd } from "./cluster.ts";
import { helloFiles } from "./hello-files.ts";

export { eventually, getRelease, helloFiles, installCrd };

export function testClient(): ClusterClient {
  return ClusterClient.fromKubeconfig({ paths: [inject("kubeconfig")] });
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
