// `remove` (opm mod delete): delete exactly the objects the inventory lists, last stage first
// and within a stage in reverse weight order (stages.ts), waiting for each weight group to be
// gone before the next, and the inventory last, so an interrupted delete can be run again. Like an apply, a delete holds the release (lease.ts). Objects that no longer carry the release's label are left
// alone (owned.ts); Namespaces are never deleted.
import type { ObjectRef } from "../../../sdk/identity/objects.ts";
import type { ClusterClient } from "./client.ts";
import { Progress, type EventSink } from "./events.ts";
import { randomUUID } from "node:crypto";
import { knownEntries, type Inventory, type InventoryEntry } from "./inventory.ts";
import { aggregate } from "./desired.ts";
import { isOpmError } from "../../../sdk/errors.ts";
import { partOf as partOfLive, releaseApplySetId } from "./labels.ts";
import { settleLimit } from "./limit.ts";
import { deleteObject, getObject } from "./objects.ts";
import { DEFAULT_LEASE_DURATION_MS, DELETE_CHANGE, ReleaseLease, liveLease, lockedError } from "./lease.ts";
import { findInventory, requireInventory, type ReleaseSelector } from "./lookup.ts";
import { deleteOwned } from "./owned.ts";
import { deleteStages } from "./stages.ts";
import { DEFAULT_TIMEOUT_MS, waitGone } from "./wait.ts";

/** How `remove` deletes a release (`opm mod delete`). */
export interface RemoveOptions {
  /** The cluster to delete from. */
  readonly client: ClusterClient;
  /** Who this run is, for the lock (lease.ts). */
  readonly holder?: string;
  /** How long the lock holds without renewal; default 30 s. */
  readonly leaseDurationMs?: number;
  /** How long to wait for another run that holds the release (`--lock-timeout`); default 0. */
  readonly lockTimeoutMs?: number;
  /** The clock for the lock. @default the system clock */
  readonly now?: () => Date;
  /** List what would be deleted; nothing is written. @default false */
  readonly dryRun?: boolean;
  /** Wait until deleted objects are gone; default true. */
  readonly wait?: boolean;
  /** Bounds all waiting of one delete, in milliseconds. @default 5 minutes */
  readonly timeoutMs?: number;
  /** A release that does not exist is no error: the result says `found: false`. @default false */
  readonly ignoreNotFound?: boolean;
  /** Told about phases, stages and objects as they are deleted, for progress output. */
  readonly onEvent?: EventSink;
}

/** What a delete did (or, in a dry run, would do). */
export interface RemoveResult {
  /** False when the release did not exist (only with `ignoreNotFound`). */
  readonly found: boolean;
  /** Objects deleted (or gone already). */
  readonly deleted: readonly ObjectRef[];
  /** Objects left on purpose: Namespaces, and objects that no longer carry the release's label. */
  readonly kept: readonly ObjectRef[];
}

/** The inventory, once no other run holds the release (waiting up to the lock timeout). */
async function unlockedInventory(
  client: ClusterClient,
  selector: ReleaseSelector,
  options: RemoveOptions,
  progress: Progress,
): Promise<Inventory | undefined> {
  const now = options.now ?? (() => new Date());
  const deadline = Date.now() + (options.lockTimeoutMs ?? 0);
  for (;;) {
    const inventory =
      options.ignoreNotFound === true
        ? await findInventory(client, selector)
        : await requireInventory(client, selector);
    const held = liveLease(inventory, now());
    if (inventory === undefined || held === undefined) return inventory;
    const locked = lockedError(inventory, held, now());
    if (options.dryRun === true) {
      progress.emit({ type: "warning", message: `${locked.message}; this list may be out of date` });
      return inventory;
    }
    if (Date.now() >= deadline) throw locked;
    progress.emit({ type: "warning", message: `${locked.message}; waiting` });
    await new Promise((r) => setTimeout(r, Math.min(1_000, Math.max(0, deadline - Date.now()))));
  }
}

/**
 * Deletes a release: exactly the objects its inventory lists, last stage first and each weight
 * group gone before the next, then the inventory, so an interrupted delete can be run again. Holds
 * the release like an apply does.
 *
 * @throws OpmError OPM6011 when the release does not exist (unless `ignoreNotFound`), OPM6017 when
 * another run holds it past `lockTimeoutMs`.
 */
export async function remove(selector: ReleaseSelector, options: RemoveOptions): Promise<RemoveResult> {
  const { client } = options;
  const progress = new Progress(options.onEvent);
  const now = options.now ?? (() => new Date());
  const inventory = await unlockedInventory(client, selector, options, progress);
  if (inventory === undefined) return { found: false, deleted: [], kept: [] };
  if (options.dryRun !== true) await checkDeletes(client, inventory);
  // The delete holds the release like an apply; its pending record lists everything it owns.
  const lease =
    options.dryRun === true
      ? undefined
      : await ReleaseLease.acquire(
          client,
          {
            ...inventory,
            pending: {
              changeId: DELETE_CHANGE,
              startedAt: now().toISOString(),
              entries: knownEntries(inventory),
            },
          },
          {
            holder: options.holder ?? `opm-${randomUUID().slice(0, 8)}`,
            durationMs: options.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS,
            now,
          },
        );
  try {
    return await deleteEverything(client, inventory, options, progress, lease);
  } finally {
    await lease?.release();
  }
}

/**
 * A server-side dry run of every delete, before the release is taken and anything deleted: a delete
 * the cluster refuses (RBAC without the delete verb, an admission webhook) stops the release's
 * delete with nothing gone, rather than half way through its stages. Objects a policy keeps or
 * that are no longer the release's are skipped, as the delete itself skips them.
 */
async function checkDeletes(client: ClusterClient, inventory: Inventory): Promise<void> {
  const partOf = releaseApplySetId(inventory.release);
  const entries = knownEntries(inventory).filter((e) => e.ref.kind !== "Namespace");
  const refused = await settleLimit(entries, CHECK_CONCURRENCY, async ({ ref }) => {
    if ((await client.discovery.find(ref.apiVersion, ref.kind)) === undefined) return;
    const live = await getObject(client, ref);
    if (live === undefined || partOfLive(live) !== partOf) return;
    const uid = live.metadata.uid;
    await deleteObject(client, ref, { dryRun: true, ...(uid === undefined ? {} : { uid }) });
  });
  const errors = refused.flatMap((r, i) =>
    r.ok ? [] : [{ ref: entries[i]!.ref, error: isOpmError(r.error) ? r.error : String(r.error) }],
  );
  if (errors.length === 0) return;
  // A refusal of the credentials (RBAC, exit 4) or of the connection is shown as the cluster said it.
  const denied = errors.find((e) => isOpmError(e.error) && e.error.category !== "cluster");
  if (denied !== undefined && isOpmError(denied.error)) throw denied.error;
  throw aggregate(
    "ObjectRejected",
    errors,
    "nothing was deleted; fix what the cluster refused, then delete again",
  );
}

const CHECK_CONCURRENCY = 8;

async function deleteEverything(
  client: ClusterClient,
  inventory: Inventory,
  options: RemoveOptions,
  progress: Progress,
  lease: ReleaseLease | undefined,
): Promise<RemoveResult> {
  const partOf = releaseApplySetId(inventory.release);
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const stages = deleteStages(knownEntries(inventory));
  const deleted: ObjectRef[] = [];
  const kept: ObjectRef[] = [];
  progress.emit({ type: "phase", phase: "deleting" });
  for (const [n, stage] of stages.entries()) {
    // Numbered as apply numbers them: the first stage deleted is the last applied.
    if (stages.length > 1)
      progress.emit({
        type: "stage",
        index: stages.length - 1 - n,
        total: stages.length,
        step: "deleting",
        objects: stage.flat().length,
      });
    for (const group of stage) await deleteGroup(group);
  }
  async function deleteGroup(group: readonly InventoryEntry[]): Promise<void> {
    const outcomes = await Promise.all(
      group.map((entry) =>
        deleteOwned(client, entry, {
          partOf,
          keepReason: entry.ref.kind === "Namespace" ? "namespaces are never deleted" : undefined,
          action: "deleted",
          dryRun: options.dryRun === true,
          progress,
          beforeWrite: () => lease?.check(),
        }),
      ),
    );
    const gone = group.filter((_, i) => outcomes[i] === "deleted").map((e) => e.ref);
    deleted.push(...gone);
    kept.push(
      ...group.filter((_, i) => outcomes[i] === "kept" || outcomes[i] === "released").map((e) => e.ref),
    );
    if (options.dryRun !== true && options.wait !== false && gone.length > 0)
      await waitGone(client, gone, deadline);
  }
  if (lease !== undefined) {
    progress.write("inventory (delete)");
    await lease.remove();
  }
  progress.emit({ type: "phase", phase: "done" });
  return { found: true, deleted, kept };
}
