// The desired state of a release: the rendered objects with the namespace filled in where the
// kind is namespaced and the ApplySet membership label added, plus their inventory entries. The
// cluster side adds only this label (docs/architecture.md, decision 4: transformers emit final labels).
import { OpmError } from "../../../sdk/errors.ts";
import { describeObject, groupOf, objectKey, refOf, type ObjectRef } from "../../../sdk/identity/objects.ts";
import type { ClusterClient } from "./client.ts";
import { objectDigest, sha256, stableJson } from "./digest.ts";
import type { InventoryEntry } from "./inventory.ts";
import { APPLYSET_PART_OF, releaseApplySetId, type ReleaseRef } from "./labels.ts";
import type { KubeObject } from "./objects.ts";
import type { StagePlan } from "../../../sdk/render/stages.ts";
import { assignStages } from "./stages.ts";

/**
 * What apply and diff need from a render (sdk's RenderResult has this shape): the release, its
 * objects in apply order, and the values it was built from.
 */
export interface ReleaseInput {
  /** The release's name, namespace, identity and module. */
  readonly release: {
    readonly name: string;
    readonly namespace: string;
    /** The release UUID. */
    readonly identity: string;
    /** Module FQN and version. */
    readonly fqn: string;
    /** The module version the release runs. */
    readonly version: string;
  };
  /** The rendered objects, each with the component that renders it. */
  readonly resources: readonly { readonly object: object; readonly component: string }[];
  /**
   * The render's stage plan (sdk's `planStages`, with the components' `dependsOn`); without it,
   * apply plans the stages from the objects' references alone.
   */
  readonly stages?: StagePlan | undefined;
  /** The resolved values; only their digest is kept (it feeds the change id), never the values. */
  readonly values?: unknown;
  /** Where the module came from, recorded in the change so history can show it and return to it. */
  readonly source?: ReleaseSource;
}

/**
 * Where a release's module came from. Opaque to the cluster side: it is stored in the change
 * record as given. It must hold no secret values (the CLI stores values elsewhere, by reference).
 */
export interface ReleaseSource {
  /** `registry`: a published module version; `local`: a module built from a directory. */
  readonly kind: "registry" | "local";
  /** The module path (`example.com/app@v1`) or, for a local module, its directory. */
  readonly module: string;
  /** The module version, for a published module. */
  readonly version?: string;
  /** `host/repository:version` the module was pulled from. */
  readonly reference?: string;
  /** The module artefact's manifest digest. */
  readonly digest?: string;
  /** The Secret (in the release's namespace) holding this change's values, and their digest. */
  readonly values?: { readonly secret: string; readonly digest: string };
  /**
   * How object names were formed: by the flag (`--release-prefix`, `--no-release-prefix`), the
   * release's earlier changes, or the module's `metadata.naming`. Absent in changes recorded
   * before opm kept it.
   */
  readonly naming?: "component" | "release-prefixed";
  /** The provider that rendered the release (`--provider`, OPM_PROVIDER, the config, else `kubernetes`). */
  readonly provider?: string;
}

export interface DesiredObject {
  readonly object: KubeObject;
  readonly ref: ObjectRef;
  /** `objectKey(ref)`. */
  readonly key: string;
  readonly component: string;
  readonly entry: InventoryEntry;
  /** The kind is not served yet because a CRD in this same set defines it. */
  readonly deferred: boolean;
  /** Its stage (docs/staged-apply.md): applied after every object of earlier stages. */
  readonly stage: number;
  /** Keys of the objects of the release it waits for (in earlier stages). */
  readonly waitsFor: readonly string[];
}

export function releaseRefOf(input: ReleaseInput): ReleaseRef {
  return { name: input.release.name, namespace: input.release.namespace, identity: input.release.identity };
}

/** The digest of the values a release was rendered from ("" when the caller passed none). */
export function valuesDigestOf(input: ReleaseInput): string {
  return input.values === undefined ? "" : sha256(stableJson(input.values));
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

/** A desired object before its place in the stage plan is known. */
export type Unstaged = Omit<DesiredObject, "stage" | "waitsFor">;

export async function prepareDesired(client: ClusterClient, input: ReleaseInput): Promise<DesiredObject[]> {
  const release = releaseRefOf(input);
  const partOf = releaseApplySetId(release);
  const objects = input.resources.map((r) => structuredClone(r.object) as KubeObject);
  const definedHere = crdKinds(objects);
  const resources = await Promise.all(objects.map((o) => client.discovery.find(o.apiVersion, o.kind)));
  const unstaged = objects.map((object, index): Unstaged => {
    const component = input.resources[index]!.component;
    const resource = resources[index];
    const deferred =
      resource === undefined && definedHere.has(`${groupOf(object.apiVersion)}/${object.kind}`);
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
    const ref = refOf(prepared);
    return {
      object: prepared,
      ref,
      key: objectKey(ref),
      component,
      entry: { ref, component, digest },
      deferred,
    };
  });
  return assignStages(unstaged, input);
}

export function aggregate(
  key: "ObjectRejected" | "ObjectNotOwned" | "ObjectOfOtherRelease" | "ObjectTerminating" | "FieldConflict",
  errors: readonly { ref: ObjectRef; error: OpmError | string }[],
  hint: string,
): OpmError {
  const lines = errors.map((e) =>
    typeof e.error === "string" ? `${describeObject(e.ref)}: ${e.error}` : e.error.message,
  );
  const first = errors[0]?.error;
  if (errors.length === 1 && first instanceof OpmError) return first;
  return new OpmError(key, {
    message: `${errors.length} object(s) failed:\n  ${lines.join("\n  ")}`,
    hint,
    details: {
      objects: errors.map((e) => ({
        ...e.ref,
        error: typeof e.error === "string" ? e.error : e.error.toJSON(),
      })),
    },
  });
}
