// Who manages a release: the CLI or the in-cluster controller (one ModuleRelease). The record
// lives in the inventory (inventory-secret.ts), so it moves with the release and is read under
// the same optimistic concurrency as every other inventory write. A manager that finds the
// release held by the other refuses before it writes anything; `opm mod handoff` moves it.
import { OpmError, isOpmError } from "../../../sdk/errors.ts";
import type { ClusterClient } from "./client.ts";
import { readInventory, writeInventory, type Inventory, type ReleaseManager } from "./inventory.ts";
import type { ReleaseRef } from "./labels.ts";
import { liveLease, lockedError } from "./lease.ts";

/** The release's manager; an inventory without the record is the CLI's. */
export function managerOf(inventory: Inventory): ReleaseManager {
  return inventory.managedBy ?? { kind: "cli" };
}

/** `the CLI` or `the controller (ModuleRelease ns/name)`, for messages. */
export function describeManager(manager: ReleaseManager): string {
  return manager.kind === "cli"
    ? "the CLI"
    : `the controller (ModuleRelease ${manager.namespace}/${manager.name})`;
}

/** The same manager: both the CLI, or the controller for the same ModuleRelease. */
export function sameManager(a: ReleaseManager, b: ReleaseManager): boolean {
  if (a.kind === "cli" || b.kind === "cli") return a.kind === b.kind;
  return a.namespace === b.namespace && a.name === b.name;
}

/** Throws ReleaseManagedElsewhere when the release exists and `manager` is not its manager. */
export function checkManager(inventory: Inventory | undefined, manager: ReleaseManager): void {
  if (inventory === undefined) return;
  const current = managerOf(inventory);
  if (sameManager(current, manager)) return;
  const { release } = inventory;
  const select = `--release-name ${release.name} -n ${release.namespace}`;
  throw new OpmError("ReleaseManagedElsewhere", {
    message: `release ${release.name} in namespace ${release.namespace} is managed by ${describeManager(current)}, not by ${describeManager(manager)}`,
    hint:
      current.kind === "controller"
        ? `change or delete the ModuleRelease instead (deleting it deletes the release), or hand the release back first: opm mod handoff ${select} --to cli (opm mod apply --force-takeover takes it without the handoff)`
        : `hand the release to the controller first: opm mod handoff ${select} --to controller`,
    details: { release: release.name, namespace: release.namespace, managedBy: current },
  });
}

/**
 * Records `manager` as the release's manager. Refused while a run holds the release (its
 * lease); a write that races another is read again and retried a few times.
 */
export async function setReleaseManager(
  client: ClusterClient,
  release: ReleaseRef,
  manager: ReleaseManager,
  now: () => Date = () => new Date(),
): Promise<Inventory> {
  for (let attempt = 1; ; attempt++) {
    const inventory = await readInventory(client, release);
    if (inventory === undefined)
      throw new OpmError("ReleaseNotFound", {
        message: `release ${release.name} not found in namespace ${release.namespace}`,
        hint: "list releases with `opm mod list -A`",
        details: { namespace: release.namespace, name: release.name },
      });
    const lease = liveLease(inventory, now());
    if (lease !== undefined) throw lockedError(inventory, lease, now());
    const { managedBy: _previous, ...rest } = inventory;
    try {
      return await writeInventory(
        client,
        manager.kind === "cli" ? rest : { ...rest, managedBy: manager },
        now().toISOString(),
      );
    } catch (error) {
      if (!isOpmError(error) || error.key !== "InventoryConflict" || attempt >= 5) throw error;
    }
  }
}
