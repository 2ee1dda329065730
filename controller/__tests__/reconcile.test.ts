// The controller against the real control plane (testenv): ModuleReleases of a small CUE module,
// carried inline, reconciled by a controller running in this process with the CLI's render.
// Each test has its own namespace; every wait is bounded (eventually()).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ClusterClient } from "../../providers/kubernetes/cluster/index.ts";
import type { RunningController } from "../controller.ts";
import {
  condition,
  createRelease,
  eventsOf,
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
import { releasePath, releasesPath } from "../resource.ts";
import { FINALIZER } from "../api/types.ts";

type Deployment = {
  spec: {
    replicas: number;
    template: { spec: { containers: { env?: { name: string; value: string }[] }[] } };
  };
  metadata: { managedFields?: { manager: string }[] };
};

let client: ClusterClient;
let controller: RunningController;
const log: string[] = [];

beforeAll(async () => {
  client = testClient();
  await installCrd(client);
  controller = await runController(client, log);
}, 120_000);

// A wait that times out says what it waited for; the controller's log says why.
beforeEach((context) => {
  const from = log.length;
  context.onTestFailed(() => console.error(`controller log during the test:\n${log.slice(from).join("\n")}`));
});

afterAll(async () => {
  await controller?.stop();
  client?.close();
});

const deploymentPath = (ns: string) => `/apis/apps/v1/namespaces/${ns}/deployments/web`;
const configMapPath = (ns: string, name: string) => `/api/v1/namespaces/${ns}/configmaps/${name}`;

// Each test waits for several reconciles (CUE renders in a child process); on a loaded machine
// that takes far longer than the suite's 30 s default, so the bound is per wait (eventually()).
describe("ModuleRelease reconcile", { timeout: 240_000 }, () => {
  it("creates the release: objects applied as opm-controller, status, finalizer, an Applied event", async () => {
    const ns = await freshNamespace(client, "mr-create");
    await createRelease(client, ns, "hello", { values: { message: "hi", replicas: 2 } });
    const release = await readyRelease(client, ns, "hello");
    expect(release.metadata.finalizers).toContain(FINALIZER);
    expect(release.status?.inventory?.count).toBe(2);
    expect(release.status?.inventory?.entries?.map((e) => `${e.kind}/${e.name}`).sort()).toEqual([
      "ConfigMap/settings",
      "Deployment/web",
    ]);
    expect(release.status?.lastApplied?.renderDigest).toMatch(/^sha256:/);
    expect(release.status?.lastApplied?.renderDigest).toBe(release.status?.lastAttempted?.renderDigest);
    expect(condition(release, "Stalled")?.status).toBe("False");
    const deployment = await getObject<Deployment>(client, deploymentPath(ns));
    expect(deployment?.spec.replicas).toBe(2);
    expect(deployment?.metadata.managedFields?.map((f) => f.manager)).toContain("opm-controller");
    const settings = await getObject<{ data: Record<string, string> }>(client, configMapPath(ns, "settings"));
    expect(settings?.data).toEqual({ MESSAGE: "hi" });
    const events = await eventually("an Applied event", async () => {
      const found = await eventsOf(client, ns, "hello");
      return found.some((e) => e.reason === "Applied") ? found : undefined;
    });
    expect(events.find((e) => e.reason === "Applied")?.message).toMatch(/applied 2 object\(s\), 2 created/);
  });

  it("updates: a values change is rendered and applied, and recorded in history", async () => {
    const ns = await freshNamespace(client, "mr-update");
    await createRelease(client, ns, "hello", { values: { message: "one", replicas: 1 } });
    const first = await readyRelease(client, ns, "hello");
    await patchSpec(client, ns, "hello", { values: { message: "two", replicas: 3 } });
    const second = await eventually("generation 2 reconciled", async () => {
      const r = await readyRelease(client, ns, "hello");
      return r.metadata.generation === 2 ? r : undefined;
    });
    expect(second.status?.lastApplied?.renderDigest).not.toBe(first.status?.lastApplied?.renderDigest);
    expect((await getObject<Deployment>(client, deploymentPath(ns)))?.spec.replicas).toBe(3);
    expect(
      (await getObject<{ data: Record<string, string> }>(client, configMapPath(ns, "settings")))?.data,
    ).toEqual({ MESSAGE: "two" });
    expect(
      second.status?.history?.filter((h) => h.action === "apply" && h.result === "Succeeded").length,
    ).toBe(2);
  });

  it("corrects drift: an edited and a deleted object are restored, reported in Drifted, history, events", async () => {
    const ns = await freshNamespace(client, "mr-drift");
    await createRelease(client, ns, "hello", { values: { message: "steady", replicas: 1 } });
    await readyRelease(client, ns, "hello");
    // Someone scales the Deployment by hand (another field manager, forcing) and deletes the ConfigMap.
    await client.json("PATCH", deploymentPath(ns), "scaling by hand", {
      contentType: "application/apply-patch+yaml",
      body: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: ns },
        spec: { replicas: 4 },
      },
      query: { fieldManager: "kubectl-edit", force: "true" },
    });
    await client.json("DELETE", configMapPath(ns, "settings"), "deleting the ConfigMap");
    await eventually("the Deployment scaled back and the ConfigMap recreated", async () => {
      const d = await getObject<Deployment>(client, deploymentPath(ns));
      const cm = await getObject(client, configMapPath(ns, "settings"));
      return d?.spec.replicas === 1 && cm !== undefined ? true : undefined;
    });
    const release = await eventually("the drift reported", async () => {
      const r = await getRelease(client, ns, "hello");
      return r?.status?.history?.some((h) => h.action === "drift-correction") === true ? r : undefined;
    });
    expect(release.status?.failures?.drift).toBeGreaterThanOrEqual(1);
    const entry = release.status?.history?.find((h) => h.action === "drift-correction");
    expect(entry?.message).toMatch(/restored \d object\(s\) changed on the cluster/);
    const events = await eventsOf(client, ns, "hello");
    expect(events.some((e) => e.reason === "Drifted" && e.type === "Normal")).toBe(true);
    // Drifted was True when it was found; the next check finds none and says so.
    const quiet = await eventually("Drifted back to False", async () => {
      const r = await getRelease(client, ns, "hello");
      return condition(r, "Drifted")?.status === "False" ? r : undefined;
    });
    expect(condition(quiet, "Drifted")?.reason).toBe("NoDrift");
  });

  it("finds drift from watch events at once, not only on the interval", async () => {
    const ns = await freshNamespace(client, "mr-watch");
    // An interval of an hour: only a watch event can bring the release back within the test.
    await createRelease(client, ns, "hello", { values: { message: "watched", replicas: 1 }, interval: "1h" });
    await readyRelease(client, ns, "hello");
    await client.json("DELETE", configMapPath(ns, "settings"), "deleting the ConfigMap");
    // Bounded well below the hour: only the watch can have brought it back.
    await eventually("the ConfigMap recreated", async () =>
      (await getObject(client, configMapPath(ns, "settings"))) === undefined ? undefined : true,
    );
    await client.json("PATCH", deploymentPath(ns), "scaling by hand", {
      contentType: "application/apply-patch+yaml",
      body: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: ns },
        spec: { replicas: 3 },
      },
      query: { fieldManager: "kubectl-edit", force: "true" },
    });
    await eventually("the Deployment scaled back", async () =>
      (await getObject<Deployment>(client, deploymentPath(ns)))?.spec.replicas === 1 ? true : undefined,
    );
    // Both corrections are counted once their reconciles have written status.
    const release = await eventually("two drifts counted", async () => {
      const r = await getRelease(client, ns, "hello");
      return (r?.status?.failures?.drift ?? 0) >= 2 ? r : undefined;
    });
    expect(log.some((l) => l.includes(`${ns}/hello: configmaps ${ns}/settings deleted on the cluster`))).toBe(
      true,
    );
    expect(log.some((l) => l.includes(`${ns}/hello: deployments ${ns}/web changed on the cluster`))).toBe(
      true,
    );
    // The controller's own writes (and the inventory's) do not trigger checks: it settles.
    const settled = release?.status?.history?.length;
    await new Promise((r) => setTimeout(r, 3000));
    expect((await getRelease(client, ns, "hello"))?.status?.history?.length).toBe(settled);
  });

  it("suspend stops reconciling; resume applies what changed meanwhile", async () => {
    const ns = await freshNamespace(client, "mr-suspend");
    await createRelease(client, ns, "hello", { values: { message: "a", replicas: 1 } });
    await readyRelease(client, ns, "hello");
    await patchSpec(client, ns, "hello", { suspend: true, values: { message: "a", replicas: 2 } });
    await eventually("Ready=False/Suspended", async () => {
      const r = await getRelease(client, ns, "hello");
      const ready = condition(r, "Ready");
      return ready?.status === "False" && ready.reason === "Suspended" ? true : undefined;
    });
    // Several intervals (2s) pass: nothing is applied while suspended.
    await new Promise((r) => setTimeout(r, 5000));
    expect((await getObject<Deployment>(client, deploymentPath(ns)))?.spec.replicas).toBe(1);
    await patchSpec(client, ns, "hello", { suspend: false });
    await eventually("replicas 2 after resume", async () =>
      (await getObject<Deployment>(client, deploymentPath(ns)))?.spec.replicas === 2 ? true : undefined,
    );
    expect(condition(await readyRelease(client, ns, "hello"), "Ready")?.reason).toBe(
      "ReconciliationSucceeded",
    );
  });

  it("prunes objects the release no longer renders, with a Pruned event", async () => {
    const ns = await freshNamespace(client, "mr-prune");
    await createRelease(client, ns, "hello", { values: { message: "p", replicas: 1, extra: true } });
    await readyRelease(client, ns, "hello");
    expect(await getObject(client, configMapPath(ns, "extra"))).toBeDefined();
    await patchSpec(client, ns, "hello", { values: { message: "p", replicas: 1, extra: false } });
    await eventually("the extra ConfigMap pruned", async () =>
      (await getObject(client, configMapPath(ns, "extra"))) === undefined ? true : undefined,
    );
    const release = await readyRelease(client, ns, "hello");
    expect(release.status?.inventory?.count).toBe(2);
    const events = await eventsOf(client, ns, "hello");
    expect(events.find((e) => e.reason === "Pruned")?.message).toBe("pruned ConfigMap extra");
  });

  it("deletion runs the finalizer: the release's objects go, then the resource", async () => {
    const ns = await freshNamespace(client, "mr-delete");
    await createRelease(client, ns, "hello", { values: { message: "bye", replicas: 1 } });
    await readyRelease(client, ns, "hello");
    await client.json("DELETE", releasePath(ns, "hello"), "deleting the ModuleRelease");
    await eventually("the ModuleRelease gone", async () =>
      (await getRelease(client, ns, "hello")) === undefined ? true : undefined,
    );
    expect(await getObject(client, deploymentPath(ns))).toBeUndefined();
    expect(await getObject(client, configMapPath(ns, "settings"))).toBeUndefined();
  });

  it("deletion with prune: false leaves the objects in place", async () => {
    const ns = await freshNamespace(client, "mr-orphan");
    await createRelease(client, ns, "hello", { values: { message: "stay", replicas: 1 }, prune: false });
    await readyRelease(client, ns, "hello");
    await client.json("DELETE", releasePath(ns, "hello"), "deleting the ModuleRelease");
    await eventually("the ModuleRelease gone", async () =>
      (await getRelease(client, ns, "hello")) === undefined ? true : undefined,
    );
    expect(await getObject(client, deploymentPath(ns))).toBeDefined();
  });

  it("reads valuesFrom Secrets at reconcile time and never shows their values", async () => {
    const ns = await freshNamespace(client, "mr-secret");
    const token = "s3cr3t-t0ken-value";
    await createRelease(client, ns, "hello", {
      values: { message: "m", replicas: 1 },
      valuesFrom: [{ path: "token", secretKeyRef: { name: "hello-token", key: "token" } }],
    });
    // The Secret does not exist yet: the release waits for it, without stalling.
    const waiting = await eventually("ValuesRefMissing", async () => {
      const r = await getRelease(client, ns, "hello");
      return condition(r, "Ready")?.reason === "ValuesRefMissing" ? r : undefined;
    });
    expect(condition(waiting, "Stalled")?.status).toBe("False");
    expect(condition(waiting, "Ready")?.message).toMatch(
      /OPM9701: valuesFrom token: Secret hello-token does not exist/,
    );
    await client.json("POST", `/api/v1/namespaces/${ns}/secrets`, "creating the Secret", {
      body: { apiVersion: "v1", kind: "Secret", metadata: { name: "hello-token" }, stringData: { token } },
    });
    const release = await readyRelease(client, ns, "hello");
    const env = (await getObject<Deployment>(client, deploymentPath(ns)))?.spec.template.spec.containers[0]
      ?.env;
    expect(env?.find((e) => e.name === "TOKEN")?.value).toBe(token);
    expect(JSON.stringify(release)).not.toContain(token);
    expect(JSON.stringify(await eventsOf(client, ns, "hello"))).not.toContain(token);
  });

  it("a render failure stalls the release with the reason and the module's message", async () => {
    const ns = await freshNamespace(client, "mr-stall");
    await createRelease(client, ns, "hello", { values: { message: "x", replicas: 9 } });
    const release = await eventually("Stalled", async () => {
      const r = await getRelease(client, ns, "hello");
      return condition(r, "Stalled")?.status === "True" ? r : undefined;
    });
    expect(condition(release, "Ready")).toMatchObject({ status: "False", reason: "RenderFailed" });
    expect(condition(release, "Stalled")?.message).toMatch(/replicas/);
    expect(release.status?.failures?.reconcile).toBeGreaterThanOrEqual(1);
    expect(await getObject(client, deploymentPath(ns))).toBeUndefined();
  });

  it("dependsOn: waits until the other ModuleRelease is Ready", async () => {
    const ns = await freshNamespace(client, "mr-deps");
    await createRelease(client, ns, "second", {
      values: { message: "2", replicas: 1 },
      releaseName: "second",
      targetNamespace: ns,
      dependsOn: [{ name: "first" }],
    });
    await eventually("DependencyNotReady", async () => {
      const r = await getRelease(client, ns, "second");
      return condition(r, "Ready")?.reason === "DependencyNotReady" ? true : undefined;
    });
    expect(await getObject(client, deploymentPath(ns))).toBeUndefined();
    const other = await freshNamespace(client, "mr-deps-first");
    await createRelease(client, ns, "first", {
      values: { message: "1", replicas: 1 },
      targetNamespace: other,
    });
    await readyRelease(client, ns, "first");
    await readyRelease(client, ns, "second");
    expect(await getObject(client, deploymentPath(ns))).toBeDefined();
  });

  it("the API server rejects an invalid ModuleRelease (the CRD's schema)", async () => {
    const ns = await freshNamespace(client, "mr-invalid");
    const post = (spec: object) =>
      client.raw<{ message: string }>("POST", releasesPath(ns), {
        body: { apiVersion: "opmodel.dev/v1alpha1", kind: "ModuleRelease", metadata: { name: "bad" }, spec },
      });
    const both = await post({ module: { ref: "example.com/hello@v0.1.0", inline: { files: {} } } });
    expect(both.status).toBe(422);
    expect(both.body.message).toContain("give exactly one of ref and inline");
    const interval = await post({ module: { ref: "example.com/hello@v0.1.0" }, interval: "soon" });
    expect(interval.status).toBe(422);
    expect(interval.body.message).toContain("spec.interval");
    const unknownRef = await post({ module: { ref: "not a module" } });
    expect(unknownRef.status).toBe(422);
  });

  it("serves metrics and health", async () => {
    const base = `http://127.0.0.1:${controller.metricsPort}`;
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^opm_controller_reconcile_total\{result="success"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^opm_controller_reconcile_duration_seconds_count [1-9]\d*$/m);
    expect(metrics).toMatch(/^opm_controller_queue_depth \d+$/m);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });
});

describe("ModuleRelease acting as a ServiceAccount (serviceAccountName)", { timeout: 240_000 }, () => {
  it("stalls with ImpersonationFailed while the account may not apply, and recovers once it may", async () => {
    const ns = await freshNamespace(client, "mr-sa");
    const rbac = "/apis/rbac.authorization.k8s.io/v1";
    await client.json("POST", `/api/v1/namespaces/${ns}/serviceaccounts`, "creating the ServiceAccount", {
      body: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "deployer" } },
    });
    const grant = async (name: string, rules: object[]) => {
      await client.json("POST", `${rbac}/namespaces/${ns}/roles`, `creating Role ${name}`, {
        body: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name }, rules },
      });
      await client.json("POST", `${rbac}/namespaces/${ns}/rolebindings`, `binding Role ${name}`, {
        body: {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "RoleBinding",
          metadata: { name },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
          subjects: [{ kind: "ServiceAccount", name: "deployer", namespace: ns }],
        },
      });
    };
    const all = ["get", "list", "watch", "create", "update", "patch", "delete"];
    // ConfigMaps and Secrets (the inventory), but no Deployments.
    await grant("config", [{ apiGroups: [""], resources: ["configmaps", "secrets"], verbs: all }]);
    await createRelease(client, ns, "hello", {
      values: { message: "as deployer", replicas: 1 },
      serviceAccountName: "deployer",
    });
    const stalled = await eventually("Stalled/ImpersonationFailed", async () => {
      const r = await getRelease(client, ns, "hello");
      return condition(r, "Stalled")?.status === "True" ? r : undefined;
    });
    expect(condition(stalled, "Ready")).toMatchObject({ status: "False", reason: "ImpersonationFailed" });
    expect(condition(stalled, "Ready")?.message).toMatch(
      /acting as ServiceAccount deployer: OPM6002: .*deployments/,
    );
    expect(await getObject(client, deploymentPath(ns))).toBeUndefined();
    // The account gets the right; the next check (interval 2s) applies.
    await grant("apps", [
      { apiGroups: ["apps"], resources: ["deployments", "replicasets"], verbs: all },
      { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
    ]);
    const ready = await readyRelease(client, ns, "hello");
    expect(condition(ready, "Stalled")?.status).toBe("False");
    const deployment = await getObject<Deployment>(client, deploymentPath(ns));
    expect(deployment?.metadata.managedFields?.map((f) => f.manager)).toContain("opm-controller");
  });
});
