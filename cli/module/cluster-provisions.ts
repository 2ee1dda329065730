// What other releases in a namespace provide (docs/interfaces.md): the ConfigMaps they publish,
// labelled interfaces.opmodel.dev/provides, read with one bounded list call. The render itself
// never reaches the cluster; the pipeline hands it what this returns.
import type { ClusterClient } from "../../providers/kubernetes/cluster/index.ts";
import type { ExternalProvision, ProvisionsConfigMap } from "../../sdk/index.ts";

/** The interfaces releases in `namespace` other than `release` provide. */
export async function readClusterProvisions(
  client: ClusterClient,
  namespace: string,
  release: string,
): Promise<readonly ExternalProvision[]> {
  const { PROVIDES_LABEL, provisionsFromConfigMaps } = await import("../../sdk/index.ts");
  const list = await client.json<{ items: ProvisionsConfigMap[] }>(
    "GET",
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`,
    `listing the interfaces other releases provide in namespace ${namespace}`,
    { query: { labelSelector: `${PROVIDES_LABEL}=true` } },
  );
  return provisionsFromConfigMaps(list.items, release);
}
