// The stage plan: which rendered objects must exist (and, with --wait, be ready) before which.
// An object's stage is the length of the longest chain of what it needs, so stage 0 needs
// nothing in the release, and every object of stage k needs something of stage k-1. Needs are
// inferred from the objects (references.ts: a workload after the ConfigMaps, Secrets,
// ServiceAccounts and PVCs its pod template names, a custom resource after its CRD, everything
// after its Namespace) plus dependencies between components, which come in as data: `dependsOn`
// today, interface consumers after their providers later (both a `ComponentDependency`, so the
// planner does not care where an edge came from). Within a stage, weight order still holds.
// Pure and deterministic: the same objects give the same plan.
import { OpmError, type SourceLocation } from "../errors.ts";
import { compareObjects } from "./order.ts";
import { describeObject, objectKey, refOf, type ObjectRef } from "../identity/objects.ts";
import { CLUSTER_SCOPED_KINDS, definedKind, kindKey, podReferences } from "./references.ts";

/** A dependency of one component on another: all of `from`'s objects come after all of `to`'s. */
export interface ComponentDependency {
  /** The dependent component. */
  readonly from: string;
  /** The component it waits for. */
  readonly to: string;
  /** `dependsOn`: written by the author; `interface`: a consumer of an interface `to` provides. */
  readonly reason: "dependsOn" | "interface";
  /** Where the dependency is written, for errors about it. */
  readonly location?: SourceLocation | undefined;
}

/** Why an object is in a later stage: what it waits for. */
export type StageReason =
  /** Its pod template names this object (a ConfigMap, Secret, ServiceAccount or PVC). */
  | { readonly reason: "references"; readonly ref: ObjectRef }
  /** It is a custom resource of the kind this CustomResourceDefinition defines. */
  | { readonly reason: "definition"; readonly ref: ObjectRef }
  /** It lives in this Namespace, which the release creates. */
  | { readonly reason: "namespace"; readonly ref: ObjectRef }
  /** Its component depends on this component (`dependsOn`, or an interface it requires). */
  | { readonly reason: "dependsOn" | "interface"; readonly component: string };

/** One object of the plan. */
export interface StagedObject {
  /** The object, with the namespace it gets on the cluster. */
  readonly ref: ObjectRef;
  /** The component that renders it. */
  readonly component: string;
  /** What the object waits for, in the order found; empty in stage 0. */
  readonly after: readonly StageReason[];
}

/** Objects applied together; the next stage starts when these exist (and, with --wait, are ready). */
export interface ApplyStage {
  /** 0-based; text output counts from 1 (`stage 1/3`). */
  readonly index: number;
  /** In weight order. */
  readonly objects: readonly StagedObject[];
}

/** The stages of a release, in apply order (delete goes the other way). */
export interface StagePlan {
  /** First applied first; empty when nothing was rendered. */
  readonly stages: readonly ApplyStage[];
}

/** What the planner needs of a rendered object. */
export interface StageInput {
  /** A rendered object (only identity and the fields references are read from are used). */
  readonly object: {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata?: { readonly name?: unknown; readonly namespace?: unknown } | undefined;
  };
  /** The component that renders it. */
  readonly component: string;
}

/** What `planStages` plans with besides the objects. */
export interface StageOptions {
  /** Where objects without a namespace go, unless their kind is cluster-scoped. */
  readonly namespace: string;
  /** Dependencies between components (`dependsOn`, interfaces). */
  readonly dependencies?: readonly ComponentDependency[] | undefined;
  /** Every component of the release (a dependency on another name is an error). */
  readonly components?: readonly string[] | undefined;
}

/** The planned stages, or the errors that prevent them. */
export interface StageResult {
  /** The stage of each input, by position. All 0 when there are errors. */
  readonly stageOf: readonly number[];
  /** The stages with their objects and what each waits for. */
  readonly plan: StagePlan;
  /** A cycle (`OPM3020`) or a dependency on no component (`OPM3021`). */
  readonly errors: readonly OpmError[];
}

interface Edge {
  readonly to: number;
  readonly reason: StageReason;
  readonly dependency?: ComponentDependency;
}

/** Plans the stages of `items` (see the file comment). */
export function planStages(items: readonly StageInput[], options: StageOptions): StageResult {
  const dependencies = options.dependencies ?? [];
  const errors = unknownDependencies(dependencies, options.components);
  const crds = new Map<string, { item: number; clusterScoped: boolean }>();
  for (const [i, item] of items.entries()) {
    const defined = definedKind(item.object);
    if (defined !== undefined) crds.set(defined.key, { item: i, clusterScoped: defined.clusterScoped });
  }
  const refs = items.map((item) => placedRef(item, crds, options.namespace));
  const index = new Map(refs.map((r, j) => [objectKey(r), j]));
  const edges = items.map((item, i) => edgesOf(i, item, { items, refs, index, crds, dependencies }));
  const stageOf = errors.length > 0 ? items.map(() => 0) : longestChains(edges, items, refs, errors);
  const stages: { index: number; objects: { item: number; ref: ObjectRef }[] }[] = [];
  for (const [i, stage] of stageOf.entries()) {
    while (stages.length <= stage) stages.push({ index: stages.length, objects: [] });
    stages[stage]!.objects.push({ item: i, ref: refs[i]! });
  }
  const plan: StagePlan = {
    stages: stages.map((s) => ({
      index: s.index,
      objects: s.objects
        .sort((a, b) => compareObjects(a.ref, b.ref))
        .map(({ item, ref }) => ({
          ref,
          component: items[item]!.component,
          after: errors.length > 0 ? [] : uniqueReasons(edges[item]!),
        })),
    })),
  };
  return { stageOf, plan, errors };
}

/** The object's identity with the namespace it will get on the cluster. */
function placedRef(item: StageInput, crds: ReadonlyMap<string, Crd>, namespace: string): ObjectRef {
  const ref = refOf(item.object);
  if (ref.namespace !== "" || CLUSTER_SCOPED_KINDS.has(ref.kind)) return ref;
  if (crds.get(kindKey(ref))?.clusterScoped === true) return ref;
  return { ...ref, namespace };
}

interface Crd {
  readonly item: number;
  readonly clusterScoped: boolean;
}

interface Context {
  readonly items: readonly StageInput[];
  readonly refs: readonly ObjectRef[];
  /** Item position by object key. */
  readonly index: ReadonlyMap<string, number>;
  /** The CRDs of the set by the `group/Kind` they define. */
  readonly crds: ReadonlyMap<string, Crd>;
  readonly dependencies: readonly ComponentDependency[];
}

function edgesOf(i: number, item: StageInput, { items, refs, index, crds, dependencies }: Context): Edge[] {
  const ref = refs[i]!;
  const out: Edge[] = [];
  const to = (j: number | undefined, reason: "references" | "definition" | "namespace") => {
    if (j !== undefined && j !== i) out.push({ to: j, reason: { reason, ref: refs[j]! } });
  };
  for (const named of podReferences(item.object)) {
    const target = { apiVersion: "v1", kind: named.kind, namespace: ref.namespace, name: named.name };
    to(index.get(objectKey(target)), "references");
  }
  to(crds.get(kindKey(ref))?.item, "definition");
  if (ref.namespace !== "")
    to(
      index.get(objectKey({ apiVersion: "v1", kind: "Namespace", namespace: "", name: ref.namespace })),
      "namespace",
    );
  for (const dependency of dependencies) {
    if (dependency.from !== item.component) continue;
    for (const [j, other] of items.entries()) {
      if (other.component !== dependency.to) continue;
      out.push({ to: j, reason: { reason: dependency.reason, component: dependency.to }, dependency });
    }
  }
  return out;
}

/** The reasons of an object's edges, each once (a dependency on a component lists it once). */
function uniqueReasons(edges: readonly Edge[]): StageReason[] {
  const seen = new Set<string>();
  const out: StageReason[] = [];
  for (const { reason } of edges) {
    const key =
      "ref" in reason ? `${reason.reason}:${objectKey(reason.ref)}` : `${reason.reason}:${reason.component}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(reason);
  }
  return out;
}

function unknownDependencies(
  dependencies: readonly ComponentDependency[],
  components: readonly string[] | undefined,
): OpmError[] {
  if (components === undefined) return [];
  const known = new Set(components);
  return dependencies
    .filter((d) => !known.has(d.to))
    .map(
      (d) =>
        new OpmError("UnknownDependency", {
          message: `component ${d.from} depends on ${d.to}, which is no component of this module`,
          hint: `name one of: ${[...known].sort().join(", ")}`,
          location: d.location,
          details: { component: d.from, dependsOn: d.to },
        }),
    );
}

/**
 * Each object's stage: 0 without edges, else one more than the latest stage it waits for.
 * A cycle is reported once (with the dependencies that close it) and leaves every stage 0.
 */
function longestChains(
  edges: readonly Edge[][],
  items: readonly StageInput[],
  refs: readonly ObjectRef[],
  errors: OpmError[],
): number[] {
  const stage = items.map(() => -1);
  const onPath: number[] = [];
  const via: Edge[] = [];
  const visiting = new Set<number>();
  let cycle: OpmError | undefined;
  const visit = (i: number): number => {
    if (stage[i]! >= 0) return stage[i]!;
    visiting.add(i);
    onPath.push(i);
    let mine = 0;
    for (const edge of edges[i]!) {
      if (cycle !== undefined) break;
      via.push(edge);
      if (visiting.has(edge.to)) {
        const start = onPath.indexOf(edge.to);
        cycle = cycleError(onPath.slice(start), via.slice(start), items, refs);
      } else mine = Math.max(mine, visit(edge.to) + 1);
      via.pop();
    }
    onPath.pop();
    visiting.delete(i);
    stage[i] = mine;
    return mine;
  };
  for (const i of items.keys()) {
    if (cycle !== undefined) break;
    visit(i);
  }
  if (cycle === undefined) return stage;
  errors.push(cycle);
  return items.map(() => 0);
}

/** What the author can remove to break a cycle, named by what the cycle is made of. */
function cycleHint(kinds: ReadonlySet<"dependsOn" | "interface">): string {
  const parts = [
    ...(kinds.has("dependsOn") ? ["one of these dependsOn entries"] : []),
    ...(kinds.has("interface") ? ["one of these interface requirements"] : []),
  ];
  if (parts.length === 0) return "remove the reference that closes the cycle";
  return `remove ${parts.join(" or ")} (or the reference that closes the cycle)`;
}

function cycleError(
  path: readonly number[],
  steps: readonly Edge[],
  items: readonly StageInput[],
  refs: readonly ObjectRef[],
): OpmError {
  const what = (i: number) => `${describeObject(refs[i]!)} (component ${items[i]!.component})`;
  const lines = steps.map((edge, n) => {
    const from = path[n]!;
    if (edge.dependency !== undefined) {
      const verb = edge.dependency.reason === "interface" ? "requires an interface of" : "dependsOn";
      return `component ${edge.dependency.from} ${verb} ${edge.dependency.to}`;
    }
    const verb =
      edge.reason.reason === "references"
        ? "references"
        : edge.reason.reason === "definition"
          ? "is defined by"
          : "lives in";
    return `${what(from)} ${verb} ${what(edge.to)}`;
  });
  const written = steps.flatMap((e) => (e.dependency === undefined ? [] : [e.dependency]));
  const locations = written.flatMap((d) => (d.location === undefined ? [] : [d.location]));
  return new OpmError("DependencyCycle", {
    message: `the components depend on each other in a cycle:\n  ${[...new Set(lines)].join("\n  ")}`,
    hint: cycleHint(new Set(written.map((d) => d.reason))),
    locations,
    details: {
      cycle: [...new Set(written.map((d) => d.from))],
      dependencies: written.map(({ from, to }) => ({ from, to })),
    },
  });
}
