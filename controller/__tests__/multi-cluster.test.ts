// Multi-cluster targets against two real control planes: the suite's (where the ModuleRelease and
// the controller live) and a second one started for this file alone (own ports, own data
// directory, torn down after; about 10 s). One ModuleRelease goes to both, with per-cluster
// values; a target dropped from the list is pruned from its cluster; deleting the ModuleRelease
// deletes the release everywhere. A kubeconfig Secret that is missing, or that would run a
// program, stalls that target with a reason while the other target is still applied.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBinaries } from "../../testenv/binaries.ts";
import { startControlPlane, type ControlPlane } from "../../testenv/controlplane.ts";
import { startReaper } from "../../testenv/processes.ts";
import { ClusterClient, readInventory } from "../../providers/kubernetes/cluster/index.ts";
import { listInventories } from "../../providers/kubernetes/cluster/inventory.ts";
import { releasePath } from "../resource.ts";
import type { RunningController } from "../controller.ts";
import {
  condition,
  createRelease,
  eventually,
  freshNamespace,
  getObject,
  getRelease,
  installCrd,
  patchSpec,
  readyRelease,
  runController,
  testClient,
} from "./helpers.ts";

let client: ClusterClient;
let second: ControlPlane | undefined;
let secondDir: string | undefined;
let remote: ClusterClient;
let controller: RunningController;
const log: string[] = [];

beforeAll(async () => {
  client = testClient();
  secondDir = mkdtempSync(join(tmpdir(), "opm-second-cluster-"));
  const [, plane] = await Promise.all([
    installCrd(client),
    startControlPlane({ binaries: await ensureBinaries(), workDir: secondDir, context: "second" }),
  ]);
  second = plane;
  // Ends the second control plane's processes should this test process die without afterAll.
  startReaper(
    process.pid,
    plane.components.map((c) => c.pid),
  );
  remote = ClusterClient.fromKubeconfig({ paths: [plane.kubeconfig] });
  controller = await runController(client, log);
}, 180_000);

afterAll(async () => {
  await controller?.stop();
  remote?.close();
  client?.close();
  await second?.stop();
  if (secondDir !== undefined) rmSync(secondDir, { recursive: true, force: true });
}, 60_000);

async function kubeconfigSecret(ns: string, name: string, text: string): Promise<void> {
  await client.json("POST", `/api/v1/namespaces/${ns}/secrets`, `creating Secret ${name}`, {
    body: {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name, namespace: ns },
      data: { value: Buffer.from(text).toString("base64") },
    },
  });
}

type Dep = {
  spec: {
    replicas: number;
    template: { spec: { containers: { env: { name: string; value?: string }[] }[] } };
  };
};
const message = (d: Dep | undefined) =>
  d?.spec.template.spec.containers[0]?.env.find((e) => e.name === "MESSAGE")?.value;

describe("ModuleRelease targets: two clusters", { timeout: 240_000 }, () => {
  it("applies to both with per-cluster values, prunes a dropped target, deletes everywhere", async () => {
    const ns = await freshNamespace(client, "mr-multi");
    await kubeconfigSecret(ns, "second-kubeconfig", readFileSync(second!.kubeconfig, "utf8"));
    await createRelease(client, ns, "hello", {
      values: { message: "everywhere", replicas: 1 },
      targets: [
        { name: "here" },
        {
          name: "second",
          kubeConfig: { secretRef: { name: "second-kubeconfig" } },
          values: { message: "second only", replicas: 2 },
        },
      ],
    });
    const ready = await readyRelease(client, ns, "hello");
    expect(ready.status?.targets?.map((t) => [t.name, t.ready, t.inventory?.count])).toEqual([
      ["here", "True", 2],
      ["second", "True", 2],
    ]);
    expect(ready.status?.inventory?.count).toBe(4);
    const deployment = `/apis/apps/v1/namespaces/${ns}/deployments/web`;
    const here = await getObject<Dep>(client, deployment);
    const there = await getObject<Dep>(remote, deployment);
    expect([here?.spec.replicas, message(here)]).toEqual([1, "everywhere"]);
    expect([there?.spec.replicas, message(there)]).toEqual([2, "second only"]);
    // The second cluster keeps its own inventory of the release, as the CLI would.
    const [inventory] = await listInventories(remote, ns);
    expect(inventory?.release.name).toBe("hello");
    expect((await readInventory(remote, inventory!.release))?.managedBy).toEqual({
      kind: "controller",
      namespace: ns,
      name: "hello",
    });

    // Dropped from the list: pruned from that cluster only.
    await patchSpec(client, ns, "hello", { targets: [{ name: "here" }] });
    await eventually("the second cluster's objects pruned", async () =>
      (await getObject(remote, deployment)) === undefined ? true : undefined,
    );
    const one = await readyRelease(client, ns, "hello");
    expect(one.status?.targets?.map((t) => t.name)).toEqual(["here"]);
    expect(await getObject(client, deployment)).toBeDefined();

    // Back on both, then deleted: gone from both.
    await patchSpec(client, ns, "hello", {
      targets: [
        { name: "here" },
        { name: "second", kubeConfig: { secretRef: { name: "second-kubeconfig" } } },
      ],
    });
    await eventually("the second cluster's objects back", async () =>
      (await getObject(remote, deployment)) !== undefined ? true : undefined,
    );
    await client.json("DELETE", releasePath(ns, "hello"), "deleting the ModuleRelease");
    await eventually("the ModuleRelease gone", async () =>
      (await getRelease(client, ns, "hello")) === undefined ? true : undefined,
    );
    expect(await getObject(client, deployment)).toBeUndefined();
    expect(await getObject(remote, deployment)).toBeUndefined();
  });

  it("stalls a target whose kubeconfig Secret is missing or runs a program, with a reason; the other is applied", async () => {
    const ns = await freshNamespace(client, "mr-multi-bad");
    await createRelease(client, ns, "hello", {
      values: { message: "here only", replicas: 1 },
      targets: [
        { name: "here" },
        { name: "nowhere", kubeConfig: { secretRef: { name: "absent", key: "config" } } },
      ],
    });
    const missing = await eventually("Stalled with KubeConfigRefMissing", async () => {
      const r = await getRelease(client, ns, "hello");
      return condition(r, "Stalled")?.status === "True" ? r : undefined;
    });
    expect(condition(missing, "Ready")).toMatchObject({ status: "False", reason: "KubeConfigRefMissing" });
    expect(condition(missing, "Stalled")?.message).toContain(
      `target nowhere: OPM9706: kubeConfig.secretRef: Secret ${ns}/absent does not exist`,
    );
    expect(missing?.status?.targets?.find((t) => t.name === "here")?.ready).toBe("True");
    expect(await getObject(client, `/apis/apps/v1/namespaces/${ns}/deployments/web`)).toBeDefined();

    // A kubeconfig that would run a program on the controller's machine is refused, unrun.
    const exec = [
      "apiVersion: v1",
      "kind: Config",
      "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]",
      "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/touch, args: [/tmp/opm-pwned]}}}]",
      "contexts: [{name: x, context: {cluster: c, user: u}}]",
      "current-context: x",
    ].join("\n");
    await kubeconfigSecret(ns, "exec-kubeconfig", exec);
    await patchSpec(client, ns, "hello", {
      targets: [
        { name: "here" },
        { name: "nowhere", kubeConfig: { secretRef: { name: "exec-kubeconfig" } } },
      ],
    });
    const invalid = await eventually("Stalled with KubeConfigInvalid", async () => {
      const r = await getRelease(client, ns, "hello");
      const ready = condition(r, "Ready");
      return ready?.reason === "KubeConfigInvalid" && r?.status?.observedGeneration === r?.metadata.generation
        ? ready
        : undefined;
    });
    expect(invalid.message).toContain("OPM9707");
    expect(invalid.message).toContain("it uses exec");
    expect(existsSync("/tmp/opm-pwned")).toBe(false);
    expect(log.filter((l) => /TypeError|undefined is not/.test(l))).toEqual([]);
  });
});
