// Adversarial cases through the real CLI against the suite's real control plane: objects the API
// server refuses (an immutable field changed, over its size or name limits, an invalid label), a
// CRD deleted under a release, and a namespace being deleted or gone. Each ends in a coded error
// naming the object, exit code per docs/errors.md, no stack trace, and nothing half-written.
import { afterAll, describe, expect, inject, it } from "vitest";
import { installCrds, type Crd } from "../../../providers/kubernetes/__tests__/gateway-crds.ts";
import {
  MODULE,
  RELEASE,
  adminClient,
  configMap,
  deployment,
  expectFailure,
  names,
  namespace,
  objectsFile,
  opm,
} from "../../__tests__/adversary.ts";

const admin = adminClient();
afterAll(() => admin.close());

async function applied(values: string, ns: string, create = true): Promise<void> {
  const res = await opm([
    "apply",
    MODULE,
    "-f",
    values,
    "-n",
    ns,
    "--no-wait",
    ...(create ? ["--create-namespace"] : []),
  ]);
  expect(res.err).not.toContain("OPM");
  expect(res.code).toBe(0);
}

async function inventorySecrets(ns: string): Promise<string[]> {
  return (await names(admin, ns, "secrets")).filter((n) => n.startsWith(`opm.${RELEASE}.`));
}

describe("a change to a field the cluster cannot change in place", () => {
  it("is refused in the dry run naming the field and the way out; the rest of the release is not applied", async () => {
    const ns = namespace("immutable");
    await applied(objectsFile({ settings: configMap({ a: "1" }), web: deployment("web") }), ns);
    const history = await opm(["history", "--release-name", RELEASE, "-n", ns, "-o", "json"]);
    // The selector changes (immutable), and the ConfigMap with it: neither may be written.
    const res = await opm([
      "apply",
      MODULE,
      "-f",
      objectsFile({ settings: configMap({ a: "2" }), web: deployment("web2") }),
      "-n",
      ns,
      "--no-wait",
    ]);
    expectFailure(res, "OPM6005", 1);
    expect(res.err).toContain(
      `Deployment web in namespace ${ns} was rejected: spec.selector: Invalid value:`,
    );
    expect(res.err).toContain("field is immutable");
    expect(res.err).toContain("delete the object (`kubectl delete deployment/web`) and apply again");
    expect(res.err).not.toContain("fix the module or values that produce this object");
    const settings = await admin.json<{ data: Record<string, string> }>(
      "GET",
      `/api/v1/namespaces/${ns}/configmaps/settings`,
      "get",
    );
    expect(settings.data).toEqual({ a: "1" });
    const after = await opm(["history", "--release-name", RELEASE, "-n", ns, "-o", "json"]);
    expect(after.out).toBe(history.out);
    const status = await opm(["status", "--release-name", RELEASE, "-n", ns]);
    expect(status.out).not.toContain("interrupted");
  });

  it("a Service's clusterIP, a Job's template and a PVC's storage class at once: each named, one way out, nothing written", async () => {
    const ns = namespace("immutable-many");
    const job = (command: string) => ({
      apiVersion: "batch/v1",
      kind: "Job",
      spec: {
        template: {
          spec: {
            restartPolicy: "Never",
            containers: [{ name: "run", image: "busybox:1.36", command: [command] }],
          },
        },
      },
    });
    const service = (clusterIP: string) => ({
      apiVersion: "v1",
      kind: "Service",
      spec: { clusterIP, selector: { app: "web" }, ports: [{ name: "http", port: 80 }] },
    });
    const claim = (storageClassName: string) => ({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      spec: { storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    });
    await applied(objectsFile({ svc: service("None"), once: job("true"), data: claim("standard") }), ns);
    const res = await opm([
      "apply",
      MODULE,
      "-f",
      objectsFile({ svc: service("10.0.0.99"), once: job("false"), data: claim("other") }),
      "-n",
      ns,
      "--no-wait",
    ]);
    expectFailure(res, "OPM6005", 1);
    expect(res.err).toContain("3 object(s) failed:");
    expect(res.err).toContain(
      `Service svc in namespace ${ns} was rejected: spec.clusterIPs[0]: Invalid value: ["10.0.0.99"]: may not change once set`,
    );
    expect(res.err).toMatch(
      new RegExp(`Job once in namespace ${ns} was rejected: spec.template: .*field is immutable`),
    );
    expect(res.err).toMatch(
      new RegExp(
        `PersistentVolumeClaim data in namespace ${ns} was rejected: spec: Forbidden: spec is immutable`,
      ),
    );
    expect(res.err).toContain("its object is deleted (kubectl delete) and applied again, which recreates it");
    const live = await admin.json<{ spec: { clusterIP: string } }>(
      "GET",
      `/api/v1/namespaces/${ns}/services/svc`,
      "get",
    );
    expect(live.spec.clusterIP).toBe("None");
  });
});

describe("a field of the release another field manager took", () => {
  it("diff shows it, apply names the manager and refuses (nothing written), --force-conflicts takes it back", async () => {
    const ns = namespace("manager");
    const values = objectsFile({ settings: configMap({ a: "1" }), web: deployment("web") });
    await applied(values, ns);
    // Another tool applies the same field server-side, as `kubectl apply --server-side --force-conflicts` would.
    await admin.json("PATCH", `/api/v1/namespaces/${ns}/configmaps/settings`, "other tool", {
      body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { a: "theirs" } },
      contentType: "application/apply-patch+yaml",
      query: { fieldManager: "other-tool", force: "true" },
    });
    const diff = await opm(["diff", MODULE, "-f", values, "-n", ns]);
    expect(diff.code).toBe(1);
    expect(diff.out).toMatch(/~ \.data\.a\n\s+- theirs\n\s+\+ 1/);
    const refused = await opm(["apply", MODULE, "-f", values, "-n", ns, "--no-wait"]);
    expectFailure(refused, "OPM6004", 1);
    expect(refused.err).toContain(
      `ConfigMap settings in namespace ${ns}: fields are managed by another field manager: .data.a (owned by other-tool)`,
    );
    expect(refused.err).toContain("hint: pass --force-conflicts");
    const live = () =>
      admin.json<{ data: Record<string, string> }>(
        "GET",
        `/api/v1/namespaces/${ns}/configmaps/settings`,
        "get",
      );
    expect((await live()).data).toEqual({ a: "theirs" });
    const forced = await opm(["apply", MODULE, "-f", values, "-n", ns, "--no-wait", "--force-conflicts"]);
    expect(forced.err).not.toContain("OPM");
    expect(forced.code).toBe(0);
    expect((await live()).data).toEqual({ a: "1" });
  });
});

describe("objects over the API server's limits", () => {
  it("a ConfigMap over 1 MiB, a name over 253 or 63 characters, an invalid label value: refused before writing, each named", async () => {
    const ns = namespace("limits");
    const longName = "n".repeat(254);
    const cases: [string, Record<string, object>, string][] = [
      [
        "huge",
        { huge: configMap({ a: "x".repeat(1_100_000) }) },
        `ConfigMap huge in namespace ${ns} was rejected`,
      ],
      [longName, { [longName]: configMap({ a: "1" }) }, `metadata.name: Invalid value: "${longName}"`],
      [
        "s".repeat(64),
        { ["s".repeat(64)]: { apiVersion: "v1", kind: "Service", spec: { ports: [{ port: 80 }] } } },
        "must be no more than 63 characters",
      ],
      [
        "labelled",
        { labelled: { ...configMap({ a: "1" }), metadata: { labels: { team: "not a label value!" } } } },
        `ConfigMap labelled in namespace ${ns} was rejected: metadata.labels: Invalid value: "not a label value!"`,
      ],
    ];
    for (const [name, objects, says] of cases) {
      // Each beside a valid object, which must not be written either.
      const res = await opm([
        "apply",
        MODULE,
        "-f",
        objectsFile({ ...objects, fine: configMap({ b: "1" }) }),
        "-n",
        ns,
        "--no-wait",
        "--create-namespace",
      ]);
      expectFailure(res, "OPM6005", 1);
      expect(res.err, name).toContain(says);
      expect(res.err).toContain(name);
      expect(await names(admin, ns, "configmaps")).toEqual([]);
      expect(await names(admin, ns, "services")).toEqual([]);
      expect(await inventorySecrets(ns)).toEqual([]);
    }
  });
});

const GIZMO_CRD: Crd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "gizmos.adversary.example.com" },
  spec: {
    group: "adversary.example.com",
    scope: "Namespaced",
    names: { plural: "gizmos", singular: "gizmo", kind: "Gizmo", listKind: "GizmoList" },
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
      },
    ],
  },
} as Crd;

describe("a CRD deleted after its custom resources were applied", () => {
  it("status shows the resource missing, diff and apply name the kind, delete removes the rest", async () => {
    const ns = namespace("crd-gone");
    await installCrds(inject("kubeconfig"), [GIZMO_CRD]);
    const values = objectsFile({
      settings: configMap({ a: "1" }),
      thing: { apiVersion: "adversary.example.com/v1", kind: "Gizmo", spec: { size: 1 } },
    });
    await applied(values, ns);
    await admin.json(
      "DELETE",
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${GIZMO_CRD.metadata.name}`,
      "delete crd",
    );
    await untilGone(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${GIZMO_CRD.metadata.name}`);

    const status = await opm(["status", "--release-name", RELEASE, "-n", ns]);
    expect(status.err).toBe("");
    expect(status.code).toBe(2);
    expect(status.out).toMatch(/Gizmo\s+thing\s+objects\s+Missing/);
    for (const args of [
      ["diff", MODULE, "-f", values],
      ["apply", MODULE, "-f", values, "--no-wait"],
    ]) {
      const res = await opm([...args, "-n", ns]);
      expectFailure(res, "OPM6003", 5);
      expect(res.err).toContain(
        "the cluster does not serve Gizmo in adversary.example.com/v1 (object thing)",
      );
    }
    const deleted = await opm(["delete", "--release-name", RELEASE, "-n", ns, "-y"]);
    expect(deleted.err).not.toContain("OPM");
    expect(deleted.code).toBe(0);
    expect(await names(admin, ns, "configmaps")).toEqual([]);
    // The values Secret goes after the inventory that owns it, by the garbage collector.
    const deadline = Date.now() + 30_000;
    while ((await inventorySecrets(ns)).length > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await inventorySecrets(ns)).toEqual([]);
  });
});

async function untilGone(path: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await admin.raw("GET", path)).status !== 404) {
    if (Date.now() > deadline) throw new Error(`${path} still exists after 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("a namespace being deleted, or gone", () => {
  it("an apply into a Terminating namespace says so (not a permission error), exit 1, nothing written", async () => {
    const ns = namespace("terminating");
    await admin.json("POST", "/api/v1/namespaces", "ns", {
      body: { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
    });
    // A finalizer nobody removes keeps the namespace Terminating for the whole test.
    await admin.json("POST", `/api/v1/namespaces/${ns}/configmaps`, "holder", {
      body: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "holder", finalizers: ["example.com/hold"] },
      },
    });
    await admin.json("DELETE", `/api/v1/namespaces/${ns}`, "delete ns");
    try {
      for (const extra of [[], ["--create-namespace"]]) {
        const res = await opm([
          "apply",
          MODULE,
          "-f",
          objectsFile({ settings: configMap({ a: "1" }) }),
          "-n",
          ns,
          "--no-wait",
          ...extra,
        ]);
        expectFailure(res, "OPM6008", 1);
        expect(res.err).toContain(
          `unable to create new content in namespace ${ns} because it is being terminated`,
        );
        expect(res.err).toContain("hint: the namespace is being deleted");
        expect(res.err).not.toContain("RBAC");
        expect(await names(admin, ns, "configmaps")).toEqual(["holder"]);
        expect(await inventorySecrets(ns)).toEqual([]);
      }
    } finally {
      await admin.json("PATCH", `/api/v1/namespaces/${ns}/configmaps/holder`, "release holder", {
        body: { metadata: { finalizers: null } },
        contentType: "application/merge-patch+json",
      });
    }
  });

  it("a namespace deleted under a release: status and delete say the release is not found, exit 5", async () => {
    const ns = namespace("ns-gone");
    await applied(objectsFile({ settings: configMap({ a: "1" }) }), ns);
    await admin.json("DELETE", `/api/v1/namespaces/${ns}`, "delete ns");
    await untilGone(`/api/v1/namespaces/${ns}`);
    for (const args of [
      ["status", "--release-name", RELEASE],
      ["delete", "--release-name", RELEASE, "-y"],
    ]) {
      const res = await opm([...args, "-n", ns]);
      expectFailure(res, "OPM6011", 5);
      expect(res.err).toContain(
        `release ${RELEASE} not found in namespace ${ns} (the namespace does not exist)`,
      );
    }
  });
});
