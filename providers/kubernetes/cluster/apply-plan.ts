// The plan phase of apply: read what the release owns and what is live, refuse objects that belong
// to someone else, and decide what to send (objects whose live state already matches an unchanged
// render are not sent at all, so an unchanged re-apply is a few reads) and what is stale.
import { OpmError } from "../../../sdk/errors.ts";
import { objectKey, type ObjectRef } from "../../../sdk/identity/objects.ts";
import type { ClusterClient } from "./client.ts";
import {
  aggregate,
  prepareDesired,
  releaseRefOf,
  valuesDigestOf,
  type DesiredObject,
  type ReleaseInput,
} from "./desired.ts";
import { changeId, manifestDigest, sha256 } from "./digest.ts";
import type { Progress } from "./events.ts";
import {
  committedEntries,
  knownEntries,
  readInventory,
  type Inventory,
  type InventoryEntry,
} from "./inventory.ts";
import { partOf as partOfLive, releaseApplySetId, type ReleaseRef } from "./labels.ts";
import { liveLease, lockedError } from "./lease.ts";
import { LabelKeys } from "../../../sdk/identity/labels.ts";
import type { KubeObject } from "./objects.ts";
import { desiredAsStored, projectionMatches, readLive, type LiveSnapshot } from "./live.ts";

export interface ApplyPlan {
  readonly input: ReleaseInput;
  readonly release: ReleaseRef;
  /** The release's ApplySet id, carried by every member. */
  readonly partOf: string;
  readonly inventory: Inventory | undefined;
  /** Entries the release owned (committed plus a pending record's). */
  readonly previous: readonly InventoryEntry[];
  readonly desired: readonly DesiredObject[];
  readonly live: LiveSnapshot;
  /** Keys of desired objects that need no request. */
  readonly unchanged: ReadonlySet<string>;
  /** Desired objects to send, in apply order. */
  readonly toApply: readonly DesiredObject[];
  /** Owned entries no longer rendered. */
  readonly stale: readonly InventoryEntry[];
  readonly manifestDigest: string;
  readonly valuesDigest: string;
  readonly changeId: string;
}

export interface PlanOptions {
  readonly adopt: boolean;
  readonly allowEmpty: boolean;
  readonly concurrency: number;
  readonly progress: Progress;
  /** A plan for writing stops at a live lease; a dry run only warns. */
  readonly writes: boolean;
  readonly now: () => Date;
}

/** Reads the inventory and live objects and plans the change; undefined when there is nothing at all. */
export async function planApply(
  client: ClusterClient,
  input: ReleaseInput,
  options: PlanOptions,
): Promise<ApplyPlan | undefined> {
  const release = releaseRefOf(input);
  const partOf = releaseApplySetId(release);
  const desired = await prepareDesired(client, input);
  const inventory = await readInventory(client, release);
  const held = liveLease(inventory, options.now());
  if (inventory !== undefined && held !== undefined) {
    const locked = lockedError(inventory, held, options.now());
    if (options.writes) throw locked;
    options.progress.emit({ type: "warning", message: `${locked.message}; this plan may be out of date` });
  } else if (inventory?.pending !== undefined) {
    options.progress.emit({
      type: "warning",
      message: `resuming an interrupted apply of ${release.name} (started ${inventory.pending.startedAt})`,
    });
  }
  const previous = knownEntries(inventory);
  if (desired.length === 0 && previous.length > 0 && !options.allowEmpty) {
    throw new OpmError("EmptyRenderPrune", {
      message: `release ${release.name} renders no objects; applying it would delete all ${previous.length} object(s) it owns`,
      hint: "check the module and values; pass --force to really remove everything (or use `opm mod delete`)",
    });
  }
  if (desired.length === 0 && previous.length === 0) return undefined;
  const digest = manifestDigest(input.resources.map((r) => r.object));
  const valuesDigest = valuesDigestOf(input);
  // Components take part too: a component rename changes the inventory even when no object does.
  // So does a stage: a new dependsOn reorders delete even when no object changes.
  const components = sha256(
    desired.map((d) => `${d.key}=${d.component}${d.stage > 0 ? `@${d.stage}` : ""}`).join("\n"),
  );
  const id = changeId(input.release.fqn, input.release.version, valuesDigest, digest + components);

  options.progress.emit({ type: "phase", phase: "checking" });
  const live = await readLive(
    client,
    desired.map((d) => d.ref),
    options.concurrency,
  );
  const problem = ownershipProblems(desired, live, inventory, options.adopt, partOf);
  if (problem !== undefined) throw problem;
  const unchanged = new Set(desired.filter((d) => isUnchanged(d, live, inventory, partOf)).map((d) => d.key));
  const desiredKeys = new Set(desired.map((d) => d.key));
  return {
    input,
    release,
    partOf,
    inventory,
    previous,
    desired,
    live,
    unchanged,
    toApply: desired.filter((d) => !unchanged.has(d.key)),
    stale: previous.filter((e) => !desiredKeys.has(objectKey(e.ref))),
    manifestDigest: digest,
    valuesDigest,
    changeId: id,
  };
}

/** Objects that exist but do not belong to the release, or are being deleted. */
function ownershipProblems(
  desired: readonly DesiredObject[],
  live: LiveSnapshot,
  inventory: Inventory | undefined,
  adopt: boolean,
  partOf: string,
): OpmError | undefined {
  const known = new Set(knownEntries(inventory).map((e) => objectKey(e.ref)));
  const terminating: { ref: ObjectRef; error: string }[] = [];
  const ofOtherRelease: { ref: ObjectRef; error: string }[] = [];
  const untracked: { ref: ObjectRef; error: string }[] = [];
  for (const d of desired) {
    const object = live.get(d.key);
    if (object === undefined) continue;
    if (object.metadata.deletionTimestamp !== undefined)
      terminating.push({ ref: d.ref, error: "is being deleted (it has a deletionTimestamp)" });
    else if (!adopt && partOfLive(object) !== partOf) {
      const owner = partOfLive(object);
      // An object of our inventory that another release adopted since stays that release's.
      if (owner !== undefined && owner !== "")
        ofOtherRelease.push({ ref: d.ref, error: `belongs to ${otherRelease(object)}` });
      else if (!known.has(d.key))
        untracked.push({ ref: d.ref, error: "already exists but is not tracked by this release" });
    }
  }
  if (terminating.length > 0)
    return aggregate(
      "ObjectTerminating",
      terminating,
      "wait until the deletion finishes (check finalizers), then apply again",
    );
  // Another release's objects are never offered for adoption: taking them would break that
  // release. Two releases of one module in one namespace need names of their own.
  if (ofOtherRelease.length > 0)
    return aggregate(
      "ObjectOfOtherRelease",
      ofOtherRelease,
      'give this release names of its own: apply it with --release-prefix (or set metadata.naming: "release-prefixed" in the module), or into another namespace',
    );
  if (untracked.length > 0)
    return aggregate(
      "ObjectNotOwned",
      untracked,
      "pass --adopt to take the objects over, or delete or rename them",
    );
  return undefined;
}

/** How a live object names the release it belongs to now. */
function otherRelease(object: KubeObject): string {
  const labels = object.metadata.labels ?? {};
  const name = labels[LabelKeys.releaseName];
  const namespace = labels[LabelKeys.releaseNamespace];
  if (name === undefined) return `another release (ApplySet ${partOfLive(object)})`;
  return `release ${name}${namespace === undefined ? "" : ` in namespace ${namespace}`}`;
}

/** An object needs no request when the render is the one last committed and live holds its values. */
export function isUnchanged(
  d: DesiredObject,
  live: LiveSnapshot,
  inventory: Inventory | undefined,
  partOf: string,
): boolean {
  const object = live.get(d.key);
  if (object === undefined || partOfLive(object) !== partOf) return false;
  const previous = committedEntries(inventory).find((e) => objectKey(e.ref) === d.key);
  if (
    previous === undefined ||
    previous.digest !== d.entry.digest ||
    previous.ref.apiVersion !== d.ref.apiVersion
  )
    return false;
  return projectionMatches(object, desiredAsStored(d.object));
}
