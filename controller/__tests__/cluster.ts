// Controller test material that needs no vitest, so the soak in bench/ uses it too: the CRD
// installed on a cluster, and a bounded wait for what happens eventually.
import type { ClusterClient } from "../../providers/kubernetes/cluster/index.ts";
import { moduleReleaseCrd } from "../api/crd.ts";
import { releasesPath } from "../resource.ts";

/**
 * Installs the ModuleRelease CRD (server-side apply, as `fieldManager`) and waits until it is
 * established and its resources are served.
 */
export async function installCrd(client: ClusterClient, fieldManager = "opm-test"): Promise<void> {
  const crd = moduleReleaseCrd() as { metadata: { name: string } };
  await client.json(
    "PATCH",
    `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
    "installing the CRD",
    {
      contentType: "application/apply-patch+yaml",
      body: crd,
      query: { fieldManager, force: "true" },
    },
  );
  await eventually("the CRD is established", async () => {
    const res = await client.raw(
      "GET",
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
    );
    const conditions = (res.body as { status?: { conditions?: { type: string; status: string }[] } }).status
      ?.conditions;
    return conditions?.some((c) => c.type === "Established" && c.status === "True") === true
      ? true
      : undefined;
  });
  // Discovery of the new group can lag behind Established.
  await eventually("ModuleReleases are served", async () =>
    (await client.raw("GET", releasesPath())).status === 200 ? true : undefined,
  );
}

/** Polls `probe` until it returns a value (not undefined), for at most `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs / 1000}s waiting for ${what}${last === undefined ? "" : `: ${String(last)}`}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}
