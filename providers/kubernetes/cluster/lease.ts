// One run at a time per release. The pending record of the inventory (inventory.ts) is also the
// release's lease: it names the run that wrote it (holder), when it started, when it last renewed
// the record and for how long a renewal holds. The run that writes the pending record holds the
// release; the write is conditional on the inventory's resourceVersion, so of two runs that read
// the same inventory only one can. While it works, a timer renews the record (every third of the
// duration); its own inventory writes go through the same queue, so they never race each other.
//
// Another run that finds a live lease stops before it writes anything (ReleaseLocked, naming the
// holder and the start), or waits for it with a lock timeout. A lease that was not renewed within
// its duration belongs to a run that died: its pending record is resumed (the crash case). A run
// that cannot renew in time stops writing before anyone may take over (at two thirds of the
// duration), so clocks may disagree by a third of it. We keep the lease in the inventory Secret
// rather than a coordination.k8s.io Lease so that a run needs no permission beyond the Secrets
// it already writes.
import { OpmError, isOpmError } from "../../../sdk/errors.ts";
import type { ClusterClient } from "./client.ts";
import { isTransient } from "./http-errors.ts";
import {
  deleteInventory,
  readInventory,
  writeInventory,
  type Inventory,
  type InventoryEntry,
} from "./inventory.ts";

export interface LeaseRecord {
  /** Who holds the release: the CLI says user, host and process. */
  readonly holder: string;
  readonly acquiredAt: string;
  readonly renewedAt: string;
  readonly durationSeconds: number;
}

export const DEFAULT_LEASE_DURATION_MS = 30_000;

/** A lease someone else may still hold, or undefined when there is none or it expired. */
export function liveLease(inventory: Inventory | undefined, now: Date): LeaseRecord | undefined {
  const lease = inventory?.pending?.lease;
  if (lease === undefined) return undefined;
  const expires = Date.parse(lease.renewedAt) + lease.durationSeconds * 1000;
  return Number.isNaN(expires) || expires <= now.getTime() ? undefined : lease;
}

export function lockedError(inventory: Inventory, lease: LeaseRecord, now: Date): OpmError {
  const { release } = inventory;
  const verb = inventory.pending?.changeId === DELETE_CHANGE ? "deleted" : "applied";
  const expiresIn = Math.max(
    0,
    Math.ceil((Date.parse(lease.renewedAt) + lease.durationSeconds * 1000 - now.getTime()) / 1000),
  );
  return new OpmError("ReleaseLocked", {
    message: `release ${release.name} in namespace ${release.namespace} is being ${verb} by ${lease.holder} since ${lease.acquiredAt}`,
    hint: `wait for it to finish, or pass --lock-timeout to wait here; if that run died, its lock expires in ${expiresIn}s`,
    details: { release: release.name, namespace: release.namespace, ...lease },
  });
}

/** The change id a delete's pending record carries. */
export const DELETE_CHANGE = "delete";

/** The lease of a running operation: serialises its inventory writes and renews the record. */
export class ReleaseLease {
  private inventory: Inventory;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private lost: OpmError | undefined;
  private ended = false;
  private readonly client: ClusterClient;
  private readonly now: () => Date;

  private constructor(client: ClusterClient, inventory: Inventory, now: () => Date) {
    this.client = client;
    this.inventory = inventory;
    this.now = now;
    const durationMs = (inventory.pending?.lease?.durationSeconds ?? 0) * 1000;
    this.timer = setInterval(() => void this.renew(), Math.max(100, durationMs / 3));
    // A timer must never keep a finished process alive.
    this.timer.unref();
  }

  /**
   * Takes the release: writes `inventory` (whose pending record is new) with a lease for
   * `holder`. A run that wrote in between makes this fail with ReleaseLocked (it holds the
   * release now) or InventoryConflict.
   */
  static async acquire(
    client: ClusterClient,
    inventory: Inventory,
    options: { holder: string; durationMs: number; now: () => Date },
  ): Promise<ReleaseLease> {
    const at = options.now().toISOString();
    if (inventory.pending === undefined) throw new Error("a lease needs a pending record");
    const withLease: Inventory = {
      ...inventory,
      pending: {
        ...inventory.pending,
        lease: {
          holder: options.holder,
          acquiredAt: at,
          renewedAt: at,
          durationSeconds: options.durationMs / 1000,
        },
      },
    };
    try {
      return new ReleaseLease(client, await writeInventory(client, withLease, at), options.now);
    } catch (error) {
      if (!isOpmError(error) || error.key !== "InventoryConflict") throw error;
      const current = await readInventory(client, inventory.release);
      const holder = liveLease(current, options.now());
      throw current !== undefined && holder !== undefined
        ? lockedError(current, holder, options.now())
        : error;
    }
  }

  /** The inventory as last written (with its resourceVersion). */
  get current(): Inventory {
    return this.inventory;
  }

  /** Throws when the lease was lost or may have run out: no write may follow. */
  check(): void {
    if (this.lost !== undefined) throw this.lost;
    const lease = this.inventory.pending?.lease;
    if (lease === undefined) return;
    const safeUntil = Date.parse(lease.renewedAt) + (lease.durationSeconds * 1000 * 2) / 3;
    if (this.now().getTime() > safeUntil) {
      this.lost = new OpmError("ReleaseLocked", {
        message: `release ${this.inventory.release.name}: this run could not renew its lock in time and stopped writing`,
        hint: "check the connection to the cluster, then run the command again: it resumes where this one stopped",
      });
      throw this.lost;
    }
  }

  /**
   * Writes the inventory through the lease's queue. `update` gets the latest inventory and
   * returns the next one; with `keep`, its pending record carries the lease, renewed; without,
   * the write gives the release up (a commit, or a pending record left for the next run).
   */
  write(update: (latest: Inventory) => Inventory, keep = true): Promise<Inventory> {
    const next = this.queue.then(async () => {
      this.check();
      const at = this.now().toISOString();
      const updated = update(this.inventory);
      const lease = this.inventory.pending?.lease;
      let written: Inventory = updated;
      if (updated.pending !== undefined) {
        const { lease: _old, ...pending } = updated.pending;
        written = {
          ...updated,
          pending: keep && lease !== undefined ? { ...pending, lease: { ...lease, renewedAt: at } } : pending,
        };
      }
      this.inventory = await writeInventory(this.client, written, at);
      return this.inventory;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Deletes the inventory (the end of a delete), through the queue; the lease ends with it. */
  async remove(): Promise<void> {
    await this.queue;
    this.check();
    this.end();
    await deleteInventory(this.client, this.inventory);
  }

  /** Stops renewing; the caller's last write (commit or release) ended the lease. */
  end(): void {
    this.ended = true;
    clearInterval(this.timer);
  }

  /**
   * Gives the release back after a failure, keeping the pending record (so the next run resumes
   * it) with `entries` when given: what this run knows may exist.
   */
  async release(entries?: readonly InventoryEntry[]): Promise<void> {
    if (this.ended) return;
    this.end();
    if (this.lost !== undefined || this.inventory.pending === undefined) return;
    await this.write(
      (latest) =>
        latest.pending === undefined || entries === undefined
          ? latest
          : { ...latest, pending: { ...latest.pending, entries } },
      false,
    ).catch(() => undefined);
  }

  private async renew(): Promise<void> {
    if (this.ended || this.lost !== undefined) return;
    try {
      await this.write((latest) => latest);
    } catch (error) {
      // A conflict means someone took the release after our lease ran out: stop writing. A
      // moment without the cluster is retried at the next tick (check() stops us in time).
      if (isOpmError(error) && !isTransient(error) && error.key !== "ReleaseLocked") this.lost = error;
    }
  }
}
