// The per-object decisions of apply: who owns an existing object, whether an object can be
// skipped because nothing changed, and how to name what the server did with it.
import type { ClusterClient } from "./client.ts";
import { aggregate, type DesiredObject } from "./desired.ts";
import type { ObjectAction } from "./events.ts";
import { APPLYSET_PART_OF, committedEntries, knownEntries, type Inventory } from "./inventory.ts";
import { desiredAsStored, projectionMatches, type LiveSnapshot } from "./live.ts";
import type { KubeObject, ObjectId } from "./objects.ts";
import type { OpmError } from "../../../sdk/errors.ts";

/** Objects that exist but do not belong to the release, or are being deleted. */
export function ownershipProblems(
  desired: readonly DesiredObject[],
  live: LiveSnapshot,
  inventory: Inventory | undefined,
  adopt: boolean,
  partOf: string,
): OpmError | undefined {
  const known = new Set(knownEntries(inventory).map((e) => `${e.group}/${e.kind}/${e.namespace}/${e.name}`));
  const terminating: { id: ObjectId; error: string }[] = [];
  const foreign: { id: ObjectId; error: string }[] = [];
  for (const d of desired) {
    const object = live.get(d.key);
    if (object === undefined) continue;
    if (object.metadata.deletionTimestamp !== undefined)
      terminating.push({ id: d.id, error: "is being deleted (it has a deletionTimestamp)" });
    else if (!adopt && !known.has(d.key) && object.metadata.labels?.[APPLYSET_PART_OF] !== partOf) {
      foreign.push({ id: d.id, error: "already exists but is not tracked by this release" });
    }
  }
  if (terminating.length > 0)
    return aggregate(
      "ObjectTerminating",
      terminating,
      "wait until the deletion finishes (check finalizers), then apply again",
    );
  if (foreign.length > 0)
    return aggregate(
      "ObjectNotOwned",
      foreign,
      "pass --adopt to take the objects over, or delete or rename them",
    );
  return undefined;
}

/** An object needs no request when the render is the one last committed and live holds its values. */
export function isUnchanged(
  d: DesiredObject,
  live: LiveSnapshot,
  inventory: Inventory | undefined,
  partOf: string,
): boolean {
  const object = live.get(d.key);
  if (object === undefined || object.metadata.labels?.[APPLYSET_PART_OF] !== partOf) return false;
  const previous = committedEntries(inventory).find(
    (e) => `${e.group}/${e.kind}/${e.namespace}/${e.name}` === d.key,
  );
  if (previous === undefined || previous.digest !== d.entry.digest || previous.version !== d.entry.version)
    return false;
  return projectionMatches(object, desiredAsStored(d.object));
}

export function actionOf(before: KubeObject | undefined, after: KubeObject): ObjectAction {
  if (before === undefined) return "created";
  return before.metadata.resourceVersion === after.metadata.resourceVersion ? "unchanged" : "configured";
}

/** What the server's dry run says about one object, compared with live. */
export function dryRunAction(before: KubeObject | undefined, after: KubeObject): ObjectAction {
  if (before === undefined) return "created";
  const strip = (o: KubeObject) => ({
    ...o,
    metadata: { ...o.metadata, managedFields: undefined, resourceVersion: undefined, generation: undefined },
  });
  return JSON.stringify(strip(before)) === JSON.stringify(strip(after)) ? "unchanged" : "configured";
}

export async function awaitServed(client: ClusterClient, id: ObjectId, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await client.discovery.find(id.apiVersion, id.kind)) === undefined) {
    if (Date.now() > deadline) await client.discovery.resolve(id.apiVersion, id.kind);
    await new Promise((r) => setTimeout(r, 250));
  }
}
