// `opm controller install` and `opm controller run`: the manifests (golden), their least
// privilege, an install on the suite's control plane, and the controller run with nothing but
// the installed ServiceAccount's rights (a token from the TokenRequest API) reconciling a
// ModuleRelease. Negative paths: bad flags.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { mkdtempSync } from "node:fs";
import { PassThrough } from "node:stream";
import { inject, describe, expect, it } from "vitest";
import { run } from "../../__tests__/run.ts";
import { ClusterClient } from "../../../providers/kubernetes/cluster/index.ts";
import { controllerPorts } from "./render-port.ts";
import { startController } from "../../../controller/controller.ts";
import { LeaderElector } from "../../../controller/leader.ts";
import {
  createRelease,
  freshNamespace,
  getObject,
  readyRelease,
} from "../../../controller/__tests__/helpers.ts";
import { parseAddress } from "./run.ts";
import { runsInCluster, writeInClusterKubeconfig } from "./in-cluster.ts";

const golden = new URL("testdata/install.golden.yaml", import.meta.url);

describe("opm controller install --dry-run", () => {
  it("prints the CRD, RBAC, ServiceAccount, Service and Deployment (golden)", async () => {
    const result = await run([
      "controller",
      "install",
      "--dry-run",
      "--image",
      "registry.example.com/opm:0.1.0",
    ]);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(golden, result.out);
    expect(result.out).toBe(readFileSync(golden, "utf8"));
  });

  it("grants no wildcard and nothing cluster-admin-like (-o json)", async () => {
    const result = await run(["controller", "install", "--dry-run", "-o", "json", "-n", "ops"]);
    expect(result.code).toBe(0);
    const list = JSON.parse(result.out) as {
      items: {
        kind: string;
        metadata: { namespace?: string };
        rules?: { verbs: string[]; resources: string[]; apiGroups: string[] }[];
      }[];
    };
    expect(list.items.map((o) => o.kind)).toEqual([
      "CustomResourceDefinition",
      "Namespace",
      "ServiceAccount",
      "ClusterRole",
      "ClusterRoleBinding",
      "Role",
      "RoleBinding",
      "Service",
      "Deployment",
    ]);
    const role = list.items.find((o) => o.kind === "ClusterRole")!;
    for (const rule of list.items.flatMap((o) => o.rules ?? []))
      for (const field of [rule.verbs, rule.resources, rule.apiGroups]) expect(field).not.toContain("*");
    // Leases only in the controller's namespace, and only its own beyond creating it.
    expect(role.rules?.some((r) => r.apiGroups.includes("coordination.k8s.io"))).toBe(false);
    const leases = list.items.find((o) => o.kind === "Role")!;
    expect(leases.metadata.namespace).toBe("ops");
    expect(leases.rules).toEqual([
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
      {
        apiGroups: ["coordination.k8s.io"],
        resources: ["leases"],
        resourceNames: ["opm-controller-leader"],
        verbs: ["get", "update"],
      },
    ]);
    expect(
      role.rules?.some((r) => r.resources.includes("clusterroles") || r.resources.includes("rolebindings")),
    ).toBe(false);
    expect(list.items.find((o) => o.kind === "Deployment")?.metadata.namespace).toBe("ops");
  });

  it("--allow-impersonation adds exactly the right to impersonate ServiceAccounts", async () => {
    const rulesOf = async (extra: string[]) => {
      const result = await run(["controller", "install", "--dry-run", "-o", "json", ...extra]);
      const list = JSON.parse(result.out) as {
        items: { kind: string; rules?: { verbs: string[]; resources: string[] }[] }[];
      };
      return list.items.find((o) => o.kind === "ClusterRole")?.rules ?? [];
    };
    const without = await rulesOf([]);
    const withIt = await rulesOf(["--allow-impersonation"]);
    expect(without.some((r) => r.verbs.includes("impersonate"))).toBe(false);
    expect(withIt.filter((r) => !without.some((w) => JSON.stringify(w) === JSON.stringify(r)))).toEqual([
      { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] },
    ]);
  });

  it("runs two replicas electing a leader by default; --replicas sets how many", async () => {
    const deployment = async (extra: string[]) => {
      const result = await run(["controller", "install", "--dry-run", "-o", "json", "-n", "ops", ...extra]);
      expect(result.code).toBe(0);
      const list = JSON.parse(result.out) as { items: { kind: string; spec?: Record<string, unknown> }[] };
      return list.items.find((o) => o.kind === "Deployment")!.spec as {
        replicas: number;
        strategy: { type: string };
        template: { spec: { containers: { args: string[] }[] } };
      };
    };
    const two = await deployment([]);
    expect(two.replicas).toBe(2);
    // Old and new pods overlap in a rolling update: safe only because every replica elects.
    expect(two.strategy.type).toBe("RollingUpdate");
    expect(two.template.spec.containers[0]!.args.join(" ")).toContain(
      "--leader-elect --leader-elect-namespace ops",
    );
    expect((await deployment(["--replicas", "3"])).replicas).toBe(3);
    const zero = await run(["controller", "install", "--dry-run", "--replicas", "0"]);
    expect(zero.code).toBe(1);
    expect(zero.err).toMatch(/--replicas/);
  });

  it("--crd-only prints just the CRD", async () => {
    const result = await run(["controller", "install", "--dry-run", "--crd-only", "-o", "json"]);
    expect((JSON.parse(result.out) as { items: { kind: string }[] }).items.map((o) => o.kind)).toEqual([
      "CustomResourceDefinition",
    ]);
  });
});

describe("opm controller: bad input", () => {
  it("refuses a concurrency out of range and a bad metrics address (exit 1, usage, no stack)", async () => {
    const zero = await run(["controller", "run", "--concurrency", "0"]);
    expect(zero.code).toBe(1);
    expect(zero.err).toMatch(/--concurrency/);
    expect(zero.err).not.toMatch(/\n\s+at /);
    const address = await run(["controller", "run", "--metrics-addr", "8080"]);
    expect(address.code).toBe(1);
    expect(address.err).toContain('invalid --metrics-addr "8080" (use host:port or :port, e.g. :8080)');
    expect(() => parseAddress(":99999")).toThrow(/invalid --metrics-addr/);
    expect(parseAddress(":8080")).toEqual({ host: "0.0.0.0", port: 8080 });
    expect(parseAddress("[::1]:9090")).toEqual({ host: "::1", port: 9090 });
  });

  it("fails with a connectivity error when the cluster cannot be reached", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opm-ctrl-"));
    const kubeconfig = join(dir, "config");
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "c", cluster: { server: "https://127.0.0.1:1" } }],
        users: [{ name: "u", user: { token: "t" } }],
        contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
        "current-context": "x",
      }),
    );
    const result = await run([
      "controller",
      "install",
      "--kubeconfig",
      kubeconfig,
      "--request-timeout",
      "2s",
    ]);
    expect(result.code).toBe(3);
    expect(result.err).toMatch(/OPM6001/);
  });
});

describe("in-cluster configuration", () => {
  it("is used only without a named kubeconfig, inside a pod", () => {
    expect(runsInCluster({ KUBERNETES_SERVICE_HOST: "10.0.0.1" }, undefined)).toBe(true);
    expect(runsInCluster({ KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBECONFIG: "/k" }, undefined)).toBe(false);
    expect(runsInCluster({ KUBERNETES_SERVICE_HOST: "10.0.0.1" }, "/k")).toBe(false);
    expect(runsInCluster({}, undefined)).toBe(false);
    const path = writeInClusterKubeconfig(
      { KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "6443" },
      "/sa",
    );
    const config = JSON.parse(readFileSync(path, "utf8")) as {
      clusters: { cluster: Record<string, string> }[];
      users: { user: Record<string, string> }[];
    };
    expect(config.clusters[0]?.cluster).toEqual({
      server: "https://10.0.0.1:6443",
      "certificate-authority": "/sa/ca.crt",
    });
    expect(config.users[0]?.user).toEqual({ tokenFile: "/sa/token" });
  });
});

describe("opm controller install on a cluster", () => {
  it("installs; the controller, with only its ServiceAccount's rights, reconciles a ModuleRelease", async () => {
    const kubeconfig = inject("kubeconfig");
    const ns = `opm-system-${Date.now().toString(36)}`;
    const result = await run([
      "controller",
      "install",
      "--kubeconfig",
      kubeconfig,
      "-n",
      ns,
      "--image",
      "opm:test",
      "--timeout",
      "90s",
    ]);
    expect(result.err).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`installed opm-controller 0.1.0 in namespace ${ns}`);
    const admin = ClusterClient.fromKubeconfig({ paths: [kubeconfig] });
    try {
      // A token for the installed ServiceAccount, and a kubeconfig that uses only it.
      const tokenRequest = await admin.json<{ status: { token: string } }>(
        "POST",
        `/api/v1/namespaces/${ns}/serviceaccounts/opm-controller/token`,
        "requesting a token",
        {
          body: {
            apiVersion: "authentication.k8s.io/v1",
            kind: "TokenRequest",
            spec: { expirationSeconds: 600 },
          },
        },
      );
      const adminConfig = JSON.parse(
        JSON.stringify((await import("yaml")).parse(readFileSync(kubeconfig, "utf8"))),
      ) as {
        users: { user: Record<string, unknown> }[];
      };
      adminConfig.users = adminConfig.users.map((u) => ({
        ...u,
        user: { token: tokenRequest.status.token },
      }));
      const saConfig = join(mkdtempSync(join(tmpdir(), "opm-sa-")), "config");
      writeFileSync(saConfig, JSON.stringify(adminConfig));
      const client = ClusterClient.fromKubeconfig({ paths: [saConfig] });
      // The ServiceAccount may not do what it was not granted.
      const forbidden = await client.raw("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles");
      expect(forbidden.status).toBe(403);
      // Its Role lets it elect a leader in its namespace (and nowhere else).
      const elect = (namespace: string) =>
        new LeaderElector({ client, namespace, identity: "test-replica", log: () => {} });
      const leads = new AbortController();
      setTimeout(() => leads.abort(), 20_000);
      expect(await elect(ns).acquire(leads.signal)).toBe(true);
      await elect(ns).release();
      const elsewhere = elect("default");
      const once = new AbortController();
      setTimeout(() => once.abort(), 500);
      expect(await elsewhere.acquire(once.signal)).toBe(false);
      expect(elsewhere.standbyReadiness().reason).toMatch(/cannot read the Lease: .*forbidden/i);
      const target = await freshNamespace(admin, "mr-sa");
      const home = mkdtempSync(join(tmpdir(), "opm-ctrl-home-"));
      const log: string[] = [];
      const controller = await startController({
        client,
        ports: controllerPorts({ env: { HOME: home }, cwd: home, moduleOutput: new PassThrough() }),
        namespace: target,
        log: (line) => log.push(line),
      });
      try {
        await createRelease(admin, target, "hello", { values: { message: "least privilege", replicas: 1 } });
        const release = await readyRelease(admin, target, "hello");
        expect(release.status?.inventory?.count).toBe(2);
        expect(await getObject(admin, `/apis/apps/v1/namespaces/${target}/deployments/web`)).toBeDefined();
        expect(log.filter((l) => /forbidden/i.test(l))).toEqual([]);
      } finally {
        await controller.stop();
        client.close();
      }
    } finally {
      admin.close();
    }
  }, 180_000);
});
