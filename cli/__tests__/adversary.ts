// Shared by the adversarial CLI tests (cli/commands/mod/adversarial-*.test.ts): the module whose
// values are its objects (cli/testdata/adversary), a values file per case, the CLI run against the
// suite's real control plane, and the checks every hostile case ends with (a coded error, no stack).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, inject } from "vitest";
import { ClusterClient } from "../../providers/kubernetes/cluster/client.ts";
import { run, type CliRun } from "./run.ts";

export const MODULE = "cli/testdata/adversary";
export const RELEASE = "adversary";

const scratch = mkdtempSync(join(tmpdir(), "opm-adversary-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

export function scratchFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

/** A values file whose objects are rendered as they are, each named by its key. */
export function objectsFile(objects: Record<string, object>): string {
  return scratchFile(`values-${randomBytes(4).toString("hex")}.json`, JSON.stringify({ objects }));
}

export const configMap = (data: Record<string, string>) => ({ apiVersion: "v1", kind: "ConfigMap", data });

export function deployment(app: string) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    spec: {
      replicas: 1,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
      },
    },
  };
}

export function namespace(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString("hex")}`;
}

/** `opm mod <args>` against the suite's cluster, or another kubeconfig. */
export function opm(args: string[], kubeconfig = inject("kubeconfig")): Promise<CliRun> {
  return run(["mod", ...args], { env: { KUBECONFIG: kubeconfig } });
}

/** A failure as a user should see it: the code, the exit code, no stack trace, no internal error. */
export function expectFailure(res: CliRun, code: string, exit: number): void {
  expect(res.err).toContain(`error ${code}:`);
  expect(res.err).not.toMatch(/^\s+at /m);
  expect(res.err).not.toContain("OPM7999");
  expect(res.code).toBe(exit);
}

export function adminClient(): ClusterClient {
  return ClusterClient.fromKubeconfig({ paths: [inject("kubeconfig")] });
}

/** Names of the objects of one kind in a namespace (the controller's root CA ConfigMap left out). */
export async function names(
  client: ClusterClient,
  ns: string,
  plural: string,
  group = "api/v1",
): Promise<string[]> {
  const list = await client.json<{ items: { metadata: { name: string } }[] }>(
    "GET",
    `/${group}/namespaces/${ns}/${plural}`,
    `listing ${plural}`,
  );
  return list.items
    .map((i) => i.metadata.name)
    .filter((n) => n !== "kube-root-ca.crt")
    .sort();
}
