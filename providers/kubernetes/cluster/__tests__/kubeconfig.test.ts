// Kubeconfig loading follows kubectl: the first file to set a name or current-context wins,
// missing KUBECONFIG entries are skipped, relative credential paths are relative to their file.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isOpmError } from "../../../../sdk/errors.ts";
import { ClusterClient } from "../client.ts";
import { kubeconfigPaths, loadKubeconfig } from "../kubeconfig.ts";

const dir = mkdtempSync(join(tmpdir(), "opm-kubeconfig-"));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const first = file(
  "first.yaml",
  `apiVersion: v1
kind: Config
current-context: alpha
clusters:
- name: shared
  cluster: {server: "https://first.example:6443", certificate-authority-data: ${Buffer.from("CA1").toString("base64")}}
users:
- name: me
  user: {token: first-token}
contexts:
- name: alpha
  context: {cluster: shared, user: me, namespace: team-a}
`,
);
writeFileSync(join(dir, "token.txt"), "file-token\n");
const second = file(
  "second.yaml",
  `apiVersion: v1
kind: Config
current-context: beta
clusters:
- name: shared
  cluster: {server: "https://second.example:6443"}
- name: other
  cluster: {server: "https://other.example", insecure-skip-tls-verify: true}
users:
- name: me
  user: {token: second-token}
- name: filed
  user: {tokenFile: token.txt}
- name: plugin
  user: {exec: {command: get-token, apiVersion: client.authentication.k8s.io/v1}}
contexts:
- name: alpha
  context: {cluster: other, user: me}
- name: beta
  context: {cluster: other, user: filed}
- name: gamma
  context: {cluster: other, user: plugin}
`,
);

describe("kubeconfig", () => {
  it("merges files with the first one winning, like kubectl", () => {
    const loaded = loadKubeconfig({ paths: [first, join(dir, "missing.yaml"), second] });
    expect(loaded.context).toBe("alpha");
    expect(loaded.server).toBe("https://first.example:6443");
    expect(loaded.namespace).toBe("team-a");
    expect(loaded.credentials.token).toBe("first-token");
    expect(loaded.credentials.ca?.toString()).toBe("CA1");
    expect(loaded.credentials.plugin).toBe(false);
  });

  it("honours --context, token files relative to their kubeconfig, insecure clusters and plugins", () => {
    const beta = loadKubeconfig({ paths: [first, second], context: "beta" });
    expect(beta.server).toBe("https://other.example");
    expect(beta.credentials.token).toBe("file-token");
    expect(beta.credentials.insecureSkipTlsVerify).toBe(true);
    expect(beta.namespace).toBeUndefined();
    expect(loadKubeconfig({ paths: [second], context: "gamma" }).credentials.plugin).toBe(true);
  });

  it("reports unusable configurations with the known contexts", () => {
    const error = (() => {
      try {
        loadKubeconfig({ paths: [first], context: "nope" });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isOpmError(error) && error.key).toBe("KubeconfigUnusable");
    expect(isOpmError(error) && error.hint).toBe("known contexts: alpha");
    expect(() => loadKubeconfig({ paths: [join(dir, "missing.yaml")] })).toThrow(/does not exist/);
  });

  it("refuses a server that is not an http(s) URL (fuzz: 'Invalid URL' was an internal error)", () => {
    for (const server of ["::::", "http//x", "", "ftp://127.0.0.1:1", "https://"]) {
      const path = file(
        "bad-server.yaml",
        `current-context: c\nclusters: [{name: c, cluster: {server: ${JSON.stringify(server)}}}]\ncontexts: [{name: c, context: {cluster: c}}]\n`,
      );
      expect(() => loadKubeconfig({ paths: [path] })).toThrow(
        `cluster c: server ${JSON.stringify(server)} is not an http(s) URL`,
      );
    }
  });

  it("refuses certificate data that is not PEM before any request (fuzz: it was an internal error)", async () => {
    const path = file(
      "bad-cert.yaml",
      `apiVersion: v1
kind: Config
current-context: c
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {client-certificate-data: ${Buffer.from("not a cert").toString("base64")}, client-key-data: ${Buffer.from("not a key").toString("base64")}}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
`,
    );
    const client = ClusterClient.fromKubeconfig({ paths: [path] }, { requestTimeoutMs: 2_000 });
    const error: unknown = await client.raw("GET", "/version").catch((e: unknown) => e);
    expect(isOpmError(error) && [error.code, error.message]).toEqual([
      "OPM6013",
      expect.stringMatching(
        /^the TLS certificates or key for https:\/\/127\.0\.0\.1:1 cannot be used: .*PEM/,
      ),
    ]);
  });

  it("picks files like kubectl: --kubeconfig, else KUBECONFIG entries, else ~/.kube/config", () => {
    expect(kubeconfigPaths({ explicit: "/a", envValue: "/b:/c", home: "/h", delimiter: ":" })).toEqual([
      "/a",
    ]);
    expect(kubeconfigPaths({ envValue: "/b::/c", home: "/h", delimiter: ":" })).toEqual(["/b", "/c"]);
    expect(kubeconfigPaths({ home: "/h", delimiter: ":" })).toEqual(["/h/.kube/config"]);
  });
});
