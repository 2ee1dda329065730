// Finding a release's inventory by name or by UUID (the Secret's name holds both, but a user
// usually knows one), for status, tree, events, delete and diff.
import { OpmError } from "../../../sdk/errors.ts";
import type { ClusterClient } from "./client.ts";
import { LabelKeys } from "../../../sdk/identity/labels.ts";
import { readInventory, scanInventories, type Inventory } from "./inventory.ts";

/** How a command names a release on the cluster: by name, by UUID, or both, in one namespace. */
export interface ReleaseSelector {
  /** The namespace to look in. */
  readonly namespace: string;
  /** The release name. */
  readonly name?: string | undefined;
  /** The release UUID (`--release-id`). */
  readonly identity?: string | undefined;
}

/** The inventory of the selected release, or undefined when there is none. */
export async function findInventory(
  client: ClusterClient,
  selector: ReleaseSelector,
): Promise<Inventory | undefined> {
  if (selector.name !== undefined && selector.identity !== undefined) {
    return readInventory(client, {
      name: selector.name,
      namespace: selector.namespace,
      identity: selector.identity,
    });
  }
  const { inventories, damaged } = await scanInventories(client, selector.namespace);
  const found = inventories.find((inv) =>
    selector.identity !== undefined
      ? inv.release.identity === selector.identity
      : inv.release.name === selector.name,
  );
  if (found !== undefined) return found;
  // The Secret's name holds the release's name and id: a damaged one of this release is reported.
  const named = damaged.find(({ secret }) =>
    selector.identity !== undefined
      ? secret.endsWith(`.${selector.identity}`)
      : secret.startsWith(`opm.${selector.name ?? ""}.`),
  );
  if (named !== undefined) throw named.error;
  return undefined;
}

/**
 * The inventory of the selected release.
 *
 * @throws OpmError OPM6011 (ReleaseNotFound) when the namespace has no such release.
 */
export async function requireInventory(client: ClusterClient, selector: ReleaseSelector): Promise<Inventory> {
  const found = await findInventory(client, selector);
  if (found !== undefined) return found;
  const what = selector.identity !== undefined ? `with id ${selector.identity}` : `${selector.name ?? ""}`;
  // A namespace deleted under its releases takes their inventories with it: say which it was.
  const namespaceGone =
    (await client.raw("GET", `/api/v1/namespaces/${encodeURIComponent(selector.namespace)}`)).status === 404;
  throw new OpmError("ReleaseNotFound", {
    message: `release ${what} not found in namespace ${selector.namespace}${namespaceGone ? " (the namespace does not exist)" : ""}`,
    hint: "list releases with `opm mod list -A`, or pass -n with the release's namespace",
    details: {
      namespace: selector.namespace,
      name: selector.name,
      identity: selector.identity,
      labels: [LabelKeys.releaseName, LabelKeys.releaseUuid],
    },
  });
}
