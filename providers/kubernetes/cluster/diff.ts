// `diff`: what an apply would change. Each changed object goes through the server's dry run of
// the same server-side apply, and the result is compared with live: server defaults, status and
// managedFields are therefore never reported as differences, and fields we stopped rendering show
// as removed exactly when apply would remove them. Objects whose render and live values are
// unchanged since the last apply are not sent at all.
import { objectKey, type ObjectRef } from "../../../sdk/identity/objects.ts";
import { redactError, releaseSecrets, type SecretStrings } from "../../../sdk/redact.ts";
import { isUnchanged } from "./apply-plan.ts";
import type { ClusterClient } from "./client.ts";
import { prepareDesired, releaseRefOf, type ReleaseInput } from "./desired.ts";
import { comparable, fieldChanges, fieldsOf, hiddenValue, type FieldChange } from "./field-diff.ts";
import { knownEntries, readInventory } from "./inventory.ts";
import { releaseApplySetId } from "./labels.ts";
import { mapLimit } from "./limit.ts";
import { keepReason } from "./prune.ts";
import { listDrifts, restoreLists } from "./list-drift.ts";
import { appliedFields, listKeys, unionFields } from "./managed-fields.ts";
import { readLive } from "./live.ts";
import { FIELD_MANAGER, serverSideApply } from "./objects.ts";

/**
 * `orphaned`: owned, no longer rendered, removed by the next apply; `retained`: owned, no longer
 * rendered, and kept by prune's policy (volumes, CRDs, Namespaces) until pruned with the opt-in.
 */
export type DiffState = "added" | "modified" | "unchanged" | "orphaned" | "retained";

/** How one object of the release would change. */
export interface ObjectDiff {
  /** The object. */
  readonly id: ObjectRef;
  /** The component that renders it (for an orphan, the one that rendered it last). */
  readonly component: string;
  /** Whether it would be added, modified, left alone, removed or kept. */
  readonly state: DiffState;
  /** The field changes of a modified object (Secret values and credential-named env values hidden). */
  readonly changes: readonly FieldChange[];
}

/** What an apply of the release would change, object by object. */
export interface DiffResult {
  /** Every rendered object and every owned object no longer rendered. */
  readonly objects: readonly ObjectDiff[];
  /** How many objects are in each state. */
  readonly summary: {
    readonly added: number;
    readonly modified: number;
    readonly orphaned: number;
    readonly retained: number;
    readonly unchanged: number;
  };
  /** True when an apply would change anything. */
  readonly differs: boolean;
}

/**
 * How `diff` reaches the cluster; the same settings an apply would use, so the server's dry run
 * answers for the same apply.
 */
export interface DiffOptions {
  /** The cluster to compare with. */
  readonly client: ClusterClient;
  /**
   * Dry-run as `--force-conflicts` would apply (taking over fields another manager owns). @default
   * false
   */
  readonly forceConflicts?: boolean;
  /** The server-side apply field manager. @default "opm" */
  readonly fieldManager?: string;
  /** Requests in flight at once. @default 8 */
  readonly concurrency?: number;
}

/** Compares a release with the cluster; an error never quotes a secret value (see apply). */
export async function diff(input: ReleaseInput, options: DiffOptions): Promise<DiffResult> {
  try {
    return await diffRelease(input, options);
  } catch (error) {
    throw redactError(error, releaseSecrets(input));
  }
}

async function diffRelease(input: ReleaseInput, options: DiffOptions): Promise<DiffResult> {
  const { client } = options;
  const concurrency = options.concurrency ?? 8;
  const desired = await prepareDesired(client, input);
  const release = releaseRefOf(input);
  const partOf = releaseApplySetId(release);
  const inventory = await readInventory(client, release);
  const desiredKeys = new Set(desired.map((d) => d.key));
  const orphanEntries = knownEntries(inventory).filter((e) => !desiredKeys.has(objectKey(e.ref)));
  const live = await readLive(
    client,
    [...desired.map((d) => d.ref), ...orphanEntries.map((e) => e.ref)],
    concurrency,
  );

  // Values the live Secrets hold (the previous ones) are as secret as the new ones.
  const secrets = releaseSecrets(input);
  for (const object of live.values()) secrets.addSecretObject(object);
  const objects = await mapLimit(desired, concurrency, async (d): Promise<ObjectDiff> => {
    const diffed = await diffObject(d);
    return { ...diffed, changes: diffed.changes.map((c) => hideSecrets(c, secrets)) };
  });
  async function diffObject(d: (typeof desired)[number]): Promise<ObjectDiff> {
    const before = live.get(d.key);
    if (before === undefined || d.deferred) {
      return {
        id: d.ref,
        component: d.component,
        state: "added",
        changes: fieldChanges({}, comparable(d.object)),
      };
    }
    if (isUnchanged(d, live, inventory, partOf)) {
      return { id: d.ref, component: d.component, state: "unchanged", changes: [] };
    }
    // Conflicts would fail the dry run; the diff shows what a forced apply would do. Keyed-list
    // entries another manager re-keyed are restored by a write of their lists first
    // (list-drift.ts): the server's dry run of that write shows them.
    const drifts = listDrifts(d.object, before);
    const after =
      drifts.length > 0
        ? await restoreLists(client, before, drifts, true)
        : await serverSideApply(client, d.object, {
            force: true,
            dryRun: true,
            fieldManager: options.fieldManager,
          });
    const keys = new Map([...listKeys(after), ...listKeys(before)]);
    // Only fields we render or own: not what a controller changed since we read live.
    const manager = options.fieldManager ?? FIELD_MANAGER;
    const rendered = fieldsOf(d.object);
    // A Secret's stringData is stored (and compared, masked) as data.
    if ("f:stringData" in rendered) rendered["f:data"] = rendered["f:stringData"];
    const fields = unionFields(
      rendered,
      unionFields(appliedFields(before, manager), appliedFields(after, manager)),
    );
    const changes = fieldChanges(comparable(before), comparable(after), { keys, fields });
    return {
      id: d.ref,
      component: d.component,
      state: changes.length === 0 ? "unchanged" : "modified",
      changes,
    };
  }
  for (const entry of orphanEntries) {
    if (!live.has(objectKey(entry.ref))) continue;
    const state = keepReason(entry.ref.kind, {}) === undefined ? "orphaned" : "retained";
    objects.push({ id: entry.ref, component: entry.component, state, changes: [] });
  }
  const count = (state: DiffState) => objects.filter((o) => o.state === state).length;
  const summary = {
    added: count("added"),
    modified: count("modified"),
    orphaned: count("orphaned"),
    retained: count("retained"),
    unchanged: count("unchanged"),
  };
  return { objects, summary, differs: summary.added + summary.modified + summary.orphaned > 0 };
}

/** A change whose value quotes a secret (an env literal, a config file) shows a marker instead. */
function hideSecrets(change: FieldChange, secrets: SecretStrings): FieldChange {
  const hide = (value: unknown): unknown => {
    if (value === undefined) return undefined;
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return secrets.redact(text) === text ? value : hiddenValue(text);
  };
  return {
    ...change,
    ...(change.before === undefined ? {} : { before: hide(change.before) }),
    ...(change.after === undefined ? {} : { after: hide(change.after) }),
  };
}
