// Reading and writing ModuleReleases: paths, status patches (the status subresource, as a merge
// patch computed from the status last read), and the finalizer.
import type { ClusterClient } from "../providers/kubernetes/cluster/index.ts";
import {
  FINALIZER,
  GROUP,
  PLURAL,
  VERSION,
  type ModuleRelease,
  type ModuleReleaseStatus,
} from "./api/types.ts";

/** The collection of ModuleReleases: one namespace's, or every namespace's. */
export function releasesPath(namespace?: string): string {
  return namespace === undefined
    ? `/apis/${GROUP}/${VERSION}/${PLURAL}`
    : `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(namespace)}/${PLURAL}`;
}

export function releasePath(namespace: string, name: string): string {
  return `${releasesPath(namespace)}/${encodeURIComponent(name)}`;
}

/** The ModuleRelease as it is now, or undefined when it is gone. */
export async function getRelease(
  client: ClusterClient,
  namespace: string,
  name: string,
): Promise<ModuleRelease | undefined> {
  const res = await client.raw<ModuleRelease>("GET", releasePath(namespace, name));
  if (res.status === 404) return undefined;
  if (res.status !== 200)
    throw client.failure(res, `reading ModuleRelease ${name} in namespace ${namespace}`);
  return res.body;
}

export async function writeStatus(
  client: ClusterClient,
  release: ModuleRelease,
  status: ModuleReleaseStatus,
): Promise<void> {
  const { namespace, name } = release.metadata;
  // Merge patch: every field we keep is written whole (lists replace), absent fields stay.
  await client.json(
    "PATCH",
    `${releasePath(namespace, name)}/status`,
    `updating the status of ModuleRelease ${name}`,
    {
      contentType: "application/merge-patch+json",
      body: { status },
    },
  );
}

/**
 * Adds or removes the finalizer; guarded by the resourceVersion read (409 on a concurrent change).
 * Answers the ModuleRelease as written.
 */
export async function setFinalizer(
  client: ClusterClient,
  release: ModuleRelease,
  present: boolean,
): Promise<ModuleRelease> {
  const current = release.metadata.finalizers ?? [];
  if (current.includes(FINALIZER) === present) return release;
  const finalizers = present ? [...current, FINALIZER] : current.filter((f) => f !== FINALIZER);
  const { namespace, name, resourceVersion } = release.metadata;
  return client.json<ModuleRelease>(
    "PATCH",
    releasePath(namespace, name),
    `updating the finalizers of ModuleRelease ${name}`,
    {
      contentType: "application/merge-patch+json",
      body: { metadata: { finalizers, resourceVersion } },
    },
  );
}
