// Patches over rendered objects: the escape hatch for a field no transformer sets. A transformer
// (the Kubernetes provider's patches transformer, in TS or CUE) emits an `ObjectPatch` per patch a
// component carries; after every transformer has run, render applies each to the object it
// targets (by kind and name, optionally apiVersion) and drops it from the output. Three kinds:
// - `json`: RFC 6902 operations (add, remove, replace, move, copy, test) with RFC 6901 paths;
// - `merge`: RFC 7386 merge patch (objects merge, `null` removes, anything else replaces);
// - `strategic`: Kubernetes' strategic merge for the lists it merges by key (containers by
//   name, ports by containerPort, volume mounts by mountPath, ...; STRATEGIC_MERGE_KEYS), with
//   `$patch: delete` and `$patch: replace` directives; every other list is replaced, as
//   Kubernetes does for lists without a merge strategy.
// A patch never changes an object's identity (kind, name, namespace), so ownership and order stay
// the render's. Problems are OpmErrors at the component's position, collected, not thrown.
import { OpmError, type SourceLocation } from "../errors.ts";
import { describeObject, refOf } from "../identity/objects.ts";
import type { PlatformObject } from "../ir/transformer.ts";
import type { RenderedObject } from "./execute.ts";

/** The apiVersion of an `ObjectPatch`: never a Kubernetes group, so never applied by mistake. */
export const OBJECT_PATCH_API_VERSION = "render.opmodel.dev/v0";
/** The kind of an {@link ObjectPatch}. */
export const OBJECT_PATCH_KIND = "ObjectPatch";

/** How a patch is written. */
export type PatchType = "json" | "merge" | "strategic";

/** A patch over one rendered object, as a transformer emits it. */
export interface ObjectPatch extends PlatformObject {
  /** Always {@link OBJECT_PATCH_API_VERSION}. */
  readonly apiVersion: typeof OBJECT_PATCH_API_VERSION;
  /** Always {@link OBJECT_PATCH_KIND}. */
  readonly kind: typeof OBJECT_PATCH_KIND;
  /** `metadata.name` names the patch in messages (e.g. `web-patch-0`). */
  readonly metadata: { readonly name: string };
  /** The rendered object to patch; `name` is the final (possibly release-prefixed) name. */
  readonly target: { readonly kind: string; readonly name: string; readonly apiVersion?: string };
  /** How `patch` is written. */
  readonly type: PatchType;
  /** An object for `merge` and `strategic`, a list of operations for `json`. */
  readonly patch: unknown;
}

/** Whether a rendered object is a patch to apply rather than an object to output. */
export function isObjectPatch(object: PlatformObject): boolean {
  return object.apiVersion === OBJECT_PATCH_API_VERSION && object.kind === OBJECT_PATCH_KIND;
}

/**
 * Kubernetes' patch merge keys (`patchMergeKey` in its API types) for the lists of workload and
 * service objects: a strategic patch merges these lists item by item.
 */
export const STRATEGIC_MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  volumes: "name",
  env: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  imagePullSecrets: "name",
  hostAliases: "ip",
  topologySpreadConstraints: "topologyKey",
  resourceClaims: "name",
};
/** Lists merged by key only under a parent: container ports by containerPort, Service ports by port. */
const PORT_KEYS: Readonly<Record<string, string>> = { containers: "containerPort", spec: "port" };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isRecord(x: unknown): x is Record<string, Json> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * Applies every `ObjectPatch` in `rendered` to its target and returns the objects without them.
 * `locate` gives a component's position for errors.
 */
export function applyObjectPatches(
  rendered: readonly RenderedObject[],
  errors: OpmError[],
  locate?: (component: string) => SourceLocation | undefined,
): RenderedObject[] {
  const objects = rendered.filter((r) => !isObjectPatch(r.object));
  const patches = rendered.filter((r) => isObjectPatch(r.object));
  for (const { object, component } of patches) {
    const patch = object as ObjectPatch;
    const where = locate?.(component);
    const problem = (key: "PatchTargetMissing" | "InvalidPatch", message: string, hint: string) =>
      errors.push(
        new OpmError(key, {
          message: `component ${component}, patch ${patch.metadata.name}: ${message}`,
          hint,
          ...(where === undefined ? {} : { location: where }),
          details: { component, patch: patch.metadata.name, target: patch.target },
        }),
      );
    const index = objects.findIndex(
      (r) =>
        r.object.kind === patch.target.kind &&
        r.object.metadata?.name === patch.target.name &&
        (patch.target.apiVersion === undefined || r.object.apiVersion === patch.target.apiVersion),
    );
    if (index < 0) {
      const sameKind = objects.filter((r) => r.object.kind === patch.target.kind);
      problem(
        "PatchTargetMissing",
        `no rendered ${patch.target.kind} is named ${patch.target.name}`,
        sameKind.length === 0
          ? `the release renders no ${patch.target.kind}; patch one of the objects \`opm mod build\` prints`
          : `rendered ${patch.target.kind} objects: ${sameKind.map((r) => r.object.metadata?.name).join(", ")}`,
      );
      continue;
    }
    const target = objects[index]!;
    let result: unknown;
    try {
      result = patchObject(target.object, patch.type, patch.patch);
    } catch (error) {
      problem("InvalidPatch", (error as Error).message, PATCH_HINT[patch.type] ?? PATCH_HINT["strategic"]!);
      continue;
    }
    const before = refOf(target.object);
    const after = isRecord(result) ? refOf(result as unknown as PlatformObject) : undefined;
    if (
      after === undefined ||
      !isRecord(result) ||
      typeof result["apiVersion"] !== "string" ||
      after.kind !== before.kind ||
      after.name !== before.name ||
      after.namespace !== before.namespace
    ) {
      problem(
        "InvalidPatch",
        `the patch changes the identity of ${describeObject(before)} (its kind, name or namespace)`,
        "patch fields of the object; render another object for another name",
      );
      continue;
    }
    objects[index] = {
      ...target,
      object: result as unknown as PlatformObject,
      patches: [...(target.patches ?? []), patch.metadata.name],
    };
  }
  return objects;
}

const PATCH_HINT: Readonly<Record<string, string>> = {
  json: 'a json patch is a list of RFC 6902 operations, e.g. [{op: "replace", path: "/spec/replicas", value: 3}]',
  merge: "a merge patch is an object merged into the target; null removes a field",
  strategic:
    "a strategic patch is an object merged into the target; lists of containers, volumes, env... merge by name",
};

/** The patched copy of `object`; throws an Error saying what is wrong with the patch. */
export function patchObject(object: PlatformObject, type: PatchType, patch: unknown): unknown {
  const target = clone(object) as unknown as Json;
  switch (type) {
    case "json":
      return jsonPatch(target, patch);
    case "merge":
      if (!isRecord(patch)) throw new Error("a merge patch must be an object");
      return mergePatch(target, patch);
    case "strategic":
      if (!isRecord(patch)) throw new Error("a strategic patch must be an object");
      return strategicMerge(target, patch, undefined);
    default:
      throw new Error(`unknown patch type ${JSON.stringify(type)} (json, merge or strategic)`);
  }
}

function mergePatch(target: Json, patch: Json): Json {
  if (!isRecord(patch)) return clone(patch);
  const out: Record<string, Json> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key] ?? null, value);
  }
  return out;
}

function strategicMerge(target: Json, patch: Json, parentKey: string | undefined): Json {
  if (!isRecord(patch)) return clone(patch);
  if (patch["$patch"] === "replace") {
    const { $patch: _, ...rest } = patch;
    return clone(rest);
  }
  const out: Record<string, Json> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$patch") throw new Error(`unknown $patch directive ${JSON.stringify(value)}`);
    if (value === null) delete out[key];
    else if (Array.isArray(value)) out[key] = mergeList(out[key], value, listKey(key, parentKey), key);
    else out[key] = strategicMerge(out[key] ?? null, value, key);
  }
  return out;
}

function listKey(key: string, parentKey: string | undefined): string | undefined {
  if (key === "ports") return parentKey === undefined ? undefined : PORT_KEYS[parentKey];
  return STRATEGIC_MERGE_KEYS[key];
}

function mergeList(
  current: Json | undefined,
  patch: Json[],
  mergeKey: string | undefined,
  key: string,
): Json[] {
  if (mergeKey === undefined || !Array.isArray(current)) {
    return patch.filter((item) => !(isRecord(item) && item["$patch"] === "delete")).map((i) => clone(i));
  }
  const out = [...current];
  for (const item of patch) {
    if (!isRecord(item) || item[mergeKey] === undefined)
      throw new Error(`an item of ${key} needs its merge key ${mergeKey}`);
    const at = out.findIndex((existing) => isRecord(existing) && existing[mergeKey] === item[mergeKey]);
    if (item["$patch"] === "delete") {
      if (at >= 0) out.splice(at, 1);
    } else if (at >= 0) out[at] = strategicMerge(out[at]!, item, key);
    else out.push(strategicMerge(null, item, key));
  }
  return out;
}

// RFC 6902 over RFC 6901 pointers.
function jsonPatch(target: Json, operations: unknown): Json {
  if (!Array.isArray(operations)) throw new Error("a json patch must be a list of operations");
  let doc = target;
  operations.forEach((raw, index) => {
    const at = `operation ${index + 1}`;
    if (!isRecord(raw) || typeof raw["op"] !== "string" || typeof raw["path"] !== "string")
      throw new Error(`${at} needs an op and a path`);
    const op = raw["op"];
    const path = parsePointer(raw["path"], at);
    const value = (): Json => {
      if (!("value" in raw)) throw new Error(`${at} (${op}) needs a value`);
      return clone(raw["value"]!);
    };
    const from = (): string[] => {
      if (typeof raw["from"] !== "string") throw new Error(`${at} (${op}) needs a from`);
      return parsePointer(raw["from"], at);
    };
    switch (op) {
      case "add":
        doc = put(doc, path, value(), "add", at);
        break;
      case "remove":
        doc = remove(doc, path, at).doc;
        break;
      case "replace":
        get(doc, path, at);
        doc = put(doc, path, value(), "replace", at);
        break;
      case "move": {
        const taken = remove(doc, from(), at);
        doc = put(taken.doc, path, taken.value, "add", at);
        break;
      }
      case "copy":
        doc = put(doc, path, clone(get(doc, from(), at)), "add", at);
        break;
      case "test":
        if (JSON.stringify(get(doc, path, at)) !== JSON.stringify(value()))
          throw new Error(`${at} (test) failed: ${raw["path"]} differs`);
        break;
      default:
        throw new Error(`${at}: unknown op ${JSON.stringify(op)} (add, remove, replace, move, copy, test)`);
    }
  });
  return doc;
}

function parsePointer(pointer: string, at: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new Error(`${at}: path ${JSON.stringify(pointer)} must start with /`);
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function pointerText(path: readonly string[]): string {
  return `/${path.join("/")}`;
}

function child(parent: Json, key: string, path: readonly string[], at: string): Json {
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length)
      throw new Error(`${at}: ${pointerText(path)} does not exist`);
    return parent[i]!;
  }
  if (isRecord(parent) && key in parent) return parent[key]!;
  throw new Error(`${at}: ${pointerText(path)} does not exist`);
}

function get(doc: Json, path: readonly string[], at: string): Json {
  let node = doc;
  path.forEach((key, i) => (node = child(node, key, path.slice(0, i + 1), at)));
  return node;
}

function put(doc: Json, path: readonly string[], value: Json, mode: "add" | "replace", at: string): Json {
  if (path.length === 0) return value;
  const parent = get(doc, path.slice(0, -1), at);
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const i = key === "-" ? parent.length : Number(key);
    const limit = mode === "add" ? parent.length : parent.length - 1;
    if (!Number.isInteger(i) || i < 0 || i > limit)
      throw new Error(`${at}: ${pointerText(path)} is out of range`);
    parent.splice(i, mode === "add" ? 0 : 1, value);
  } else if (isRecord(parent)) parent[key] = value;
  else throw new Error(`${at}: ${pointerText(path.slice(0, -1))} is not an object or a list`);
  return doc;
}

function remove(doc: Json, path: readonly string[], at: string): { doc: Json; value: Json } {
  if (path.length === 0) throw new Error(`${at}: cannot remove the whole object`);
  const value = get(doc, path, at);
  const parent = get(doc, path.slice(0, -1), at);
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (isRecord(parent)) delete parent[key];
  return { doc, value };
}
