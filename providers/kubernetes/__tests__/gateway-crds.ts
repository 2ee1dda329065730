// Installs the Gateway API route CRDs of testdata/crds (written for the tests from the published
// shapes) on the test control plane, idempotently (server-side apply, several test files share
// the cluster), and waits until the server serves them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { kubeRequest } from "../../../testenv/kube-client.ts";

const FILE = join(fileURLToPath(new URL(".", import.meta.url)), "..", "testdata", "crds", "gateway-api.yaml");

export interface Crd {
  metadata: { name: string };
}

export function gatewayApiCrds(): Crd[] {
  return parseAllDocuments(readFileSync(FILE, "utf8")).map((d) => d.toJS() as Crd);
}

export async function installGatewayApiCrds(kubeconfig: string, timeoutMs = 30_000): Promise<void> {
  await installCrds(kubeconfig, gatewayApiCrds(), timeoutMs);
}

/** Installs CRDs (server-side apply, idempotent) and waits until each is established. */
export async function installCrds(
  kubeconfig: string,
  crds: readonly Crd[],
  timeoutMs = 30_000,
): Promise<void> {
  for (const crd of crds) {
    const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`;
    const res = await kubeRequest<{ message?: string }>(
      kubeconfig,
      "PATCH",
      `${path}?fieldManager=opm-tests&force=true`,
      crd,
      "application/apply-patch+yaml",
    );
    if (res.status >= 300)
      throw new Error(`installing ${crd.metadata.name}: ${res.status} ${res.body?.message}`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const live = await kubeRequest<{ status?: { conditions?: { type: string; status: string }[] } }>(
        kubeconfig,
        "GET",
        path,
      );
      const established = live.body?.status?.conditions?.some(
        (c) => c.type === "Established" && c.status === "True",
      );
      if (established === true) break;
      if (Date.now() > deadline)
        throw new Error(`${crd.metadata.name} was not established in ${timeoutMs} ms`);
      await sleep(100);
    }
  }
}
