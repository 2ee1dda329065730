// Inside a pod there is no kubeconfig: the API server is named by KUBERNETES_SERVICE_HOST/PORT
// and the ServiceAccount's token and CA are mounted. This writes the kubeconfig that says so
// (the token by file, so it is read from where the kubelet keeps it fresh), for the same client
// the CLI uses everywhere else.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

type Env = Readonly<Record<string, string | undefined>>;

/** True when no kubeconfig is named and the process runs in a pod. */
export function runsInCluster(env: Env, kubeconfigFlag: string | undefined): boolean {
  const named = kubeconfigFlag ?? env["OPM_KUBECONFIG"] ?? env["KUBECONFIG"];
  return (named === undefined || named === "") && (env["KUBERNETES_SERVICE_HOST"] ?? "") !== "";
}

/** Writes the in-cluster kubeconfig into a private temporary directory; returns its path. */
export function writeInClusterKubeconfig(env: Env, account = ACCOUNT): string {
  const host = env["KUBERNETES_SERVICE_HOST"]!;
  const port = env["KUBERNETES_SERVICE_PORT"] ?? "443";
  const server = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "in-cluster", cluster: { server, "certificate-authority": join(account, "ca.crt") } }],
    users: [{ name: "service-account", user: { tokenFile: join(account, "token") } }],
    contexts: [{ name: "in-cluster", context: { cluster: "in-cluster", user: "service-account" } }],
    "current-context": "in-cluster",
  };
  const path = join(mkdtempSync(join(tmpdir(), "opm-controller-")), "kubeconfig");
  writeFileSync(path, JSON.stringify(config), { mode: 0o600 });
  return path;
}
