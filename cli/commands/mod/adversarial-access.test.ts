// Adversarial cases through the real CLI against the suite's real control plane: a user whose
// RBAC allows only part of what a command does, and a release inventory Secret someone tampered
// with. Each ends in a coded error naming what was refused or damaged, exit code per
// docs/errors.md, no stack trace, and nothing written, half-deleted or wrongly pruned.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
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
  scratchFile,
} from "../../__tests__/adversary.ts";

const admin = adminClient();
afterAll(() => admin.close());

const RELEASE_OBJECTS = { settings: configMap({ a: "1" }), web: deployment("web") };

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
const ALL = ["get", "list", "watch", "create", "update", "patch", "delete"];
const BOOKKEEPING: Rule[] = [
  { apiGroups: [""], resources: ["secrets"], verbs: ALL },
  { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ALL },
];

/**
 * A ServiceAccount bound to a Role of `rules` in `ns`, and a kubeconfig with its token (a real
 * TokenRequest), as a user of a shared cluster would get from its admin.
 */
async function narrowUser(ns: string, rules: Rule[]): Promise<string> {
  await admin.json("POST", "/api/v1/namespaces", "namespace", {
    body: { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
  });
  await admin.json("POST", `/api/v1/namespaces/${ns}/serviceaccounts`, "service account", {
    body: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "user" } },
  });
  const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}`;
  await admin.json("POST", `${rbac}/roles`, "role", {
    body: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "user" }, rules },
  });
  await admin.json("POST", `${rbac}/rolebindings`, "role binding", {
    body: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "user" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "user" },
      subjects: [{ kind: "ServiceAccount", name: "user", namespace: ns }],
    },
  });
  const token = await admin.json<{ status: { token: string } }>(
    "POST",
    `/api/v1/namespaces/${ns}/serviceaccounts/user/token`,
    "token",
    {
      body: {
        apiVersion: "authentication.k8s.io/v1",
        kind: "TokenRequest",
        spec: { expirationSeconds: 3600 },
      },
    },
  );
  const adminConfig = parse(readFileSync(inject("kubeconfig"), "utf8")) as {
    clusters: { cluster: Record<string, string> }[];
  };
  const kubeconfig = scratchFile(
    `${ns}.kubeconfig`,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "c", cluster: adminConfig.clusters[0]!.cluster }],
      users: [{ name: "user", user: { token: token.status.token } }],
      contexts: [{ name: "user", context: { cluster: "c", user: "user", namespace: ns } }],
      "current-context": "user",
    }),
  );
  await untilAllowed(ns, rules);
  return kubeconfig;
}

/** RBAC takes effect through the API server's informers: wait (bounded) until the Role is seen. */
async function untilAllowed(ns: string, rules: Rule[]): Promise<void> {
  const rule = rules[0]!;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const review = await admin.json<{ status: { allowed: boolean } }>(
      "POST",
      "/apis/authorization.k8s.io/v1/subjectaccessreviews",
      "access review",
      {
        body: {
          apiVersion: "authorization.k8s.io/v1",
          kind: "SubjectAccessReview",
          spec: {
            user: `system:serviceaccount:${ns}:user`,
            groups: ["system:serviceaccounts", `system:serviceaccounts:${ns}`],
            resourceAttributes: {
              namespace: ns,
              verb: rule.verbs[0],
              group: rule.apiGroups[0],
              resource: rule.resources[0],
            },
          },
        },
      },
    );
    if (review.status.allowed) return;
    if (Date.now() > deadline) throw new Error(`the Role in ${ns} did not take effect within 10 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function nothingIn(ns: string): Promise<void> {
  expect(await names(admin, ns, "configmaps")).toEqual([]);
  expect(await names(admin, ns, "secrets")).toEqual([]);
  expect(await names(admin, ns, "deployments", "apis/apps/v1")).toEqual([]);
}

describe("a user whose RBAC allows only part of a command", () => {
  const values = objectsFile(RELEASE_OBJECTS);

  it("without access to Secrets (the inventory): each command names the verb, secrets and the namespace, exit 4, nothing written", async () => {
    const ns = namespace("rbac-secrets");
    const kubeconfig = await narrowUser(ns, [
      { apiGroups: [""], resources: ["configmaps"], verbs: ALL },
      { apiGroups: ["apps"], resources: ["deployments"], verbs: ALL },
    ]);
    const denied = (verb: string) =>
      new RegExp(`cannot ${verb} resource "secrets" in API group "" in the namespace "${ns}"`);
    for (const [args, verb] of [
      [["apply", MODULE, "-f", values, "--no-wait"], "get"],
      [["diff", MODULE, "-f", values], "get"],
      [["status", "--release-name", RELEASE], "list"],
      [["delete", "--release-name", RELEASE, "-y"], "list"],
      [["list"], "list"],
    ] as const) {
      const res = await opm([...args, "-n", ns], kubeconfig);
      expectFailure(res, "OPM6002", 4);
      expect(res.err, args.join(" ")).toMatch(denied(verb));
      expect(res.err).toContain("hint: ask a cluster admin for RBAC permission");
    }
    await nothingIn(ns);
  });

  it("without write access to one kind: apply stops in the dry run naming patch on deployments, nothing written", async () => {
    const ns = namespace("rbac-kind");
    const kubeconfig = await narrowUser(ns, [
      ...BOOKKEEPING,
      { apiGroups: [""], resources: ["configmaps"], verbs: ALL },
      { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list", "watch"] },
    ]);
    const res = await opm(["apply", MODULE, "-f", values, "-n", ns, "--no-wait"], kubeconfig);
    expectFailure(res, "OPM6002", 4);
    expect(res.err).toContain(
      `Deployment web in namespace ${ns}: deployments.apps "web" is forbidden: User "system:serviceaccount:${ns}:user" cannot patch resource "deployments" in API group "apps" in the namespace "${ns}"`,
    );
    await nothingIn(ns);
    // Reading is allowed, so diff still shows what an apply would do.
    const diff = await opm(["diff", MODULE, "-f", values, "-n", ns], kubeconfig);
    expect(diff.err).toBe("");
    expect(diff.code).toBe(1);
    expect(diff.out).toContain("2 added");
  });

  it("without delete on one kind: delete stops before deleting anything, and the release stays whole", async () => {
    const ns = namespace("rbac-delete");
    const kubeconfig = await narrowUser(ns, [
      ...BOOKKEEPING,
      {
        apiGroups: [""],
        resources: ["configmaps"],
        verbs: ["get", "list", "watch", "create", "update", "patch"],
      },
      { apiGroups: ["apps"], resources: ["deployments"], verbs: ALL },
    ]);
    const applied = await opm(["apply", MODULE, "-f", values, "-n", ns, "--no-wait"], kubeconfig);
    expect(applied.err).not.toContain("OPM");
    expect(applied.code).toBe(0);
    // The Deployment is deleted first (reverse weight order): it used to be gone by the time the
    // ConfigMap's delete was refused, leaving half a release and a pending record.
    const res = await opm(["delete", "--release-name", RELEASE, "-n", ns, "-y"], kubeconfig);
    expectFailure(res, "OPM6002", 4);
    expect(res.err).toContain(
      `deleting ConfigMap settings in namespace ${ns}: configmaps "settings" is forbidden: User "system:serviceaccount:${ns}:user" cannot delete resource "configmaps" in API group "" in the namespace "${ns}"`,
    );
    expect(await names(admin, ns, "deployments", "apis/apps/v1")).toEqual(["web"]);
    expect(await names(admin, ns, "configmaps")).toEqual(["settings"]);
    const status = await opm(["status", "--release-name", RELEASE, "-n", ns], kubeconfig);
    expect(status.code).toBe(0);
    expect(status.out).not.toContain("interrupted");
  });
});

describe("a tampered release inventory", () => {
  let ns: string;
  const values = objectsFile(RELEASE_OBJECTS);
  const otherValues = objectsFile({ "other-settings": configMap({ b: "2" }) });
  const secrets = () => `/api/v1/namespaces/${ns}/secrets`;

  async function inventorySecret(release: string): Promise<{ name: string; data: Record<string, string> }> {
    const list = await admin.json<{
      items: { metadata: { name: string }; type: string; data: Record<string, string> }[];
    }>("GET", secrets(), "secrets");
    const found = list.items.find(
      (s) => s.type === "opmodel.dev/release" && s.metadata.name.startsWith(`opm.${release}.`),
    );
    if (found === undefined) throw new Error(`no inventory of ${release} in ${ns}`);
    return { name: found.metadata.name, data: found.data };
  }

  async function patchSecret(name: string, patch: object): Promise<void> {
    await admin.json("PATCH", `${secrets()}/${name}`, "patch", {
      body: patch,
      contentType: "application/merge-patch+json",
    });
  }

  const b64 = (value: unknown) =>
    Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64");

  async function releaseIntact(): Promise<void> {
    expect(await names(admin, ns, "deployments", "apis/apps/v1")).toEqual(["web"]);
    expect(await names(admin, ns, "configmaps")).toEqual(["other-settings", "settings"]);
  }

  /** Every command on the release is refused with OPM6021 naming the Secret; nothing is deleted. */
  async function refusedEverywhere(secret: string, says: string): Promise<string> {
    let err = "";
    for (const args of [
      ["apply", MODULE, "-f", values, "--no-wait"],
      ["diff", MODULE, "-f", values],
      ["status", "--release-name", RELEASE],
      ["delete", "--release-name", RELEASE, "-y"],
    ]) {
      const res = await opm([...args, "-n", ns]);
      expectFailure(res, "OPM6021", args[0] === "diff" ? 2 : 1);
      expect(res.err, args.join(" ")).toContain(
        `the release inventory Secret ${secret} in namespace ${ns} ${says}`,
      );
      err = res.err;
    }
    await releaseIntact();
    // The other release of the namespace is listed and untouched.
    const list = await opm(["list", "-n", ns]);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/\bother\b/);
    return err;
  }

  beforeAll(async () => {
    ns = namespace("tamper");
    for (const [release, file, create] of [
      [RELEASE, values, true],
      ["other", otherValues, false],
    ] as const) {
      const res = await opm([
        "apply",
        MODULE,
        "-f",
        file,
        "-n",
        ns,
        "--release-name",
        release,
        "--no-wait",
        ...(create ? ["--create-namespace"] : []),
      ]);
      expect(res.err).not.toContain("OPM");
      expect(res.code).toBe(0);
    }
  });

  it("data that is not JSON: refused everywhere, naming the Secret and the key (was an internal error)", async () => {
    const { name, data } = await inventorySecret(RELEASE);
    await patchSecret(name, { data: { index: b64("{not json") } });
    const err = await refusedEverywhere(name, "holds data key index that is not base64-encoded JSON");
    expect(err).toContain("delete the Secret and apply the release again");
    await patchSecret(name, { data: { index: data["index"] } });
  });

  it("a format this opm does not read: refused, pointing at the opm that wrote it", async () => {
    const { name, data } = await inventorySecret(RELEASE);
    const meta = JSON.parse(Buffer.from(data["releaseMetadata"]!, "base64").toString()) as object;
    await patchSecret(name, {
      data: { releaseMetadata: b64({ ...meta, apiVersion: "core.opmodel.dev/v2" }) },
    });
    const err = await refusedEverywhere(
      name,
      "is in format core.opmodel.dev/v2, which this opm does not read (it reads core.opmodel.dev/v1alpha1)",
    );
    expect(err).toContain("written by another (likely newer) opm");
    await patchSecret(name, { data: { releaseMetadata: data["releaseMetadata"] } });
  });

  it("another release's inventory copied over it: refused, so that release's objects are never deleted", async () => {
    const mine = await inventorySecret(RELEASE);
    const other = await inventorySecret("other");
    await admin.json("PUT", `${secrets()}/${mine.name}`, "replace", {
      body: {
        apiVersion: "v1",
        kind: "Secret",
        type: "opmodel.dev/release",
        metadata: { name: mine.name },
        data: other.data,
      },
    });
    await refusedEverywhere(mine.name, "holds the inventory of release other in namespace");
    // The way out the hint gives: delete the damaged Secret; the next apply rebuilds it.
    await admin.json("DELETE", `${secrets()}/${mine.name}`, "delete");
    const applied = await opm(["apply", MODULE, "-f", values, "-n", ns, "--no-wait"]);
    expect(applied.code).toBe(0);
    const status = await opm(["status", "--release-name", RELEASE, "-n", ns]);
    expect(status.code).toBe(0);
    expect(status.out).toContain("Ready (2/2 ready)");
    await releaseIntact();
  });

  it("its labels removed: still found by its type, so status, apply and delete see the release", async () => {
    const { name } = await inventorySecret(RELEASE);
    const secret = await admin.json<{ metadata: { labels: Record<string, string> } }>(
      "GET",
      `${secrets()}/${name}`,
      "get",
    );
    const cleared = Object.fromEntries(Object.keys(secret.metadata.labels).map((k) => [k, null]));
    await patchSecret(name, { metadata: { labels: cleared } });
    const status = await opm(["status", "--release-name", RELEASE, "-n", ns]);
    expect(status.err).toBe("");
    expect(status.code).toBe(0);
    const applied = await opm(["apply", MODULE, "-f", values, "-n", ns, "--no-wait"]);
    expect(applied.code).toBe(0);
    const deleted = await opm(["delete", "--release-name", RELEASE, "-n", ns, "-y"]);
    expect(deleted.code).toBe(0);
    expect(await names(admin, ns, "deployments", "apis/apps/v1")).toEqual([]);
    expect(await names(admin, ns, "configmaps")).toEqual(["other-settings"]);
  });
});
