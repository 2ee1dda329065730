// Finding a release's inventory by name or by UUID (the Secret's name holds both, but a user
// usually knows one), for status, tree, events, delete and diff.
import { OpmError } from "../../../sdk/errors.ts";
import type { ClusterClient } from "./client.ts";
import {
  RELEASE_NAME_LABEL,
  RELEASE_UUID_LABEL,
  listInventories,
  readInventory,
  type Inventory,
} from "./inventory.ts";

export interface ReleaseSelector {
  readonly namespace: string;
  readonly name?: string | undefined;
  readonly uuid?: string | undefined;
}

export async function findInventory(
  client: ClusterClient,
  selector: ReleaseSelector,
): Promise<Inventory | undefined> {
  if (selector.name !== undefined && selector.uuid !== undefined) {
    return readInventory(client, { name: selector.name, namespace: selector.namespace, uuid: selector.uuid });
  }
  const all = await listInventories(client, selector.namespace);
  return all.find((inv) =>
    selector.uuid !== undefined ? inv.release.uuid === selector.uuid : inv.release.name === selector.name,
  );
}

export async function requireInventory(client: ClusterClient, selector: ReleaseSelector): Promise<Inventory> {
  const found = await findInventory(client, selector);
  if (found !== undefined) return found;
  const what = selector.uuid !== undefined ? `with id ${selector.uuid}` : `${selector.name ?? ""}`;
  throw new OpmError("ReleaseNotFound", {
    message: `release ${what} not found in namespace ${selector.namespace}`,
    hint: "list releases with `opm mod list -A`, or pass -n with the release's namespace",
    details: {
      namespace: selector.namespace,
      name: selector.name,
      uuid: selector.uuid,
      labels: [RELEASE_NAME_LABEL, RELEASE_UUID_LABEL],
    },
  });
}
