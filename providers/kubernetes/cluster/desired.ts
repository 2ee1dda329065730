// The desired state of a release: the rendered objects with the namespace filled in where the
// kind is namespaced and the ApplySet membership label added, plus their inventory entries. The
// cluster side adds only these labels (architecture §6.4: transformers emit final labels).
import { OpmError } from "../../../sdk/errors.ts";
import type { ClusterClient } from "./client.ts";
import { objectDigest } from "./digest.ts";
import {
  APPLYSET_PART_OF,
  entryFor,
  releaseApplySetId,
  type InventoryEntry,
  type ReleaseRef,
} from "./inventory.ts";
import { describe, idOf, type KubeObject, type ObjectId } from "./objects.ts";

/** What apply needs from a render: the release identity and its objects in apply order. */
export interface ReleaseInput {
  readonly release: {
    readonly name: string;
    readonly namespace: string;
    /** The release UUID. */
    readonly identity: string;
    /** Module FQN and version. */
    readonly fqn: string;
    readonly version: string;
  };
  readonly resources: readonly { readonly object: object; readonly component: string }[];
  /** Digest of the resolved values (feeds the change id); the values themselves are never stored. */
  readonly valuesDigest?: string;
}

export interface DesiredObject {
  readonly object: KubeObject;
  readonly id: ObjectId;
  readonly key: string;
  readonly component: string;
  readonly entry: InventoryEntry;
  /** The kind is not served yet because a CRD in this same set defines it. */
  readonly deferred: boolean;
}

export function releaseRefOf(input: ReleaseInput): ReleaseRef {
  return { name: input.release.name, namespace: input.release.namespace, uuid: input.release.identity };
}

function crdKinds(objects: readonly KubeObject[]): Set<string> {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.kind !== "CustomResourceDefinition") continue;
    const spec = (o["spec"] ?? {}) as { group?: string; names?: { kind?: string } };
    if (spec.group !== undefined && spec.names?.kind !== undefined)
      out.add(`${spec.group}/${spec.names.kind}`);
  }
  return out;
}

export async function prepareDesired(client: ClusterClient, input: ReleaseInput): Promise<DesiredObject[]> {
  const release = releaseRefOf(input);
  const partOf = releaseApplySetId(release);
  const objects = input.resources.map((r) => structuredClone(r.object) as KubeObject);
  const definedHere = crdKinds(objects);
  const resources = await Promise.all(objects.map((o) => client.discovery.find(o.apiVersion, o.kind)));
  const out: DesiredObject[] = [];
  for (const [index, object] of objects.entries()) {
    const component = input.resources[index]!.component;
    const resource = resources[index];
    const group = object.apiVersion.includes("/") ? object.apiVersion.split("/")[0]! : "";
    const deferred = resource === undefined && definedHere.has(`${group}/${object.kind}`);
    if (resource === undefined && !deferred) {
      throw new OpmError("ClusterNotFound", {
        message: `the cluster does not serve ${object.kind} in ${object.apiVersion} (object ${object.metadata.name})`,
        hint: "install the CustomResourceDefinition that provides this kind, or fix the apiVersion",
        details: { apiVersion: object.apiVersion, kind: object.kind },
      });
    }
    // Digest before our own labels, so it describes the render alone.
    const digest = objectDigest(object);
    const namespaced = resource?.namespaced ?? true;
    const metadata = {
      ...object.metadata,
      labels: { ...object.metadata.labels, [APPLYSET_PART_OF]: partOf },
    };
    if (namespaced && (metadata.namespace === undefined || metadata.namespace === ""))
      metadata.namespace = release.namespace;
    if (!namespaced) delete metadata.namespace;
    const prepared: KubeObject = { ...object, metadata };
    const id = idOf(prepared);
    out.push({
      object: prepared,
      id,
      key: "",
      component,
      entry: entryFor(prepared, component, digest),
      deferred,
    });
  }
  return out.map((d) => ({
    ...d,
    key: `${d.entry.group}/${d.entry.kind}/${d.entry.namespace}/${d.entry.name}`,
  }));
}

/** Objects grouped by weight, in apply order (the input is already sorted). */
export function weightGroups<T extends { readonly id: ObjectId }>(
  items: readonly T[],
  weightOf: (kind: string) => number,
): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let weight: number | undefined;
  for (const item of items) {
    const w = weightOf(item.id.kind);
    if (weight !== undefined && w !== weight) {
      groups.push(current);
      current = [];
    }
    weight = w;
    current.push(item);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

export function aggregate(
  key: "ObjectRejected" | "ObjectNotOwned" | "ObjectTerminating" | "FieldConflict",
  errors: readonly { id: ObjectId; error: OpmError | string }[],
  hint: string,
): OpmError {
  const lines = errors.map((e) =>
    typeof e.error === "string" ? `${describe(e.id)}: ${e.error}` : e.error.message,
  );
  const first = errors[0]?.error;
  if (errors.length === 1 && first instanceof OpmError) return first;
  return new OpmError(key, {
    message: `${errors.length} object(s) failed:\n  ${lines.join("\n  ")}`,
    hint,
    details: {
      objects: errors.map((e) => ({
        ...e.id,
        error: typeof e.error === "string" ? e.error : e.error.toJSON(),
      })),
    },
  });
}
