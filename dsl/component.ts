// `component(...)`: merges parts (resources, traits, blueprints, labels) into a component, the
// TS counterpart of embedding CUE mixins in a component struct. The result has no name yet:
// the module names it after its key in `components`, as `#Module.#components` does.
import { brand, LabelKeys, OpmError, type Component, type Labels, type Provision } from "../sdk/index.ts";
import { isComponentPart, labelsPart, type ComponentPart } from "./parts.ts";

/**
 * What an author may say about a component beside its parts (the optional first argument of
 * `component`).
 */
export interface ComponentMetadataInit {
  /** Default: the key of the component in the module's `components`. */
  readonly name?: string;
  /** The component's own labels; the parts add theirs, and one key with two values throws OPM8002. */
  readonly labels?: Labels;
  /** The component's own annotations, merged with the parts' like labels. */
  readonly annotations?: Labels;
  /**
   * Components (by name) this one waits for: their objects are applied, and with `--wait`
   * ready, before this component's; on delete this one goes first (docs/staged-apply.md).
   */
  readonly dependsOn?: readonly string[];
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/** The merged spec type of a list of parts: every part's spec key, with its type. */
export type MergedSpec<Parts extends readonly ComponentPart<unknown>[]> = UnionToIntersection<
  Parts[number]["spec"]
>;

const DRAFT = "~opm/component-draft";

/** A component before the module names it. */
export interface ComponentDraft<Spec = Record<string, unknown>> {
  /** Marks the draft, so `defineModule` tells it apart from other values. */
  readonly [DRAFT]: true;
  /** What the author said about the component (name, labels, dependsOn). */
  readonly metadata: ComponentMetadataInit;
  /** The parts in the order given; the module turns them into the component's definitions. */
  readonly parts: readonly ComponentPart<unknown>[];
  /** The merged spec, typed for reading back in tests and tools. */
  readonly spec: Spec;
}

/** True for what `component(...)` returns. */
export function isComponentDraft(x: unknown): x is ComponentDraft<unknown> {
  return typeof x === "object" && x !== null && (x as Record<string, unknown>)[DRAFT] === true;
}

/**
 * Composes a component from parts; an optional first argument gives its name and labels.
 *
 * Example: `component(Container({ name: "web", image: "nginx:1.27" }), workloadType("stateless"), Scaling({ count: 2 }))`.
 */
export function component<const Parts extends readonly ComponentPart<unknown>[]>(
  ...parts: Parts
): ComponentDraft<MergedSpec<Parts>>;
/**
 * Composes a component from its metadata (name, labels, annotations, dependsOn) and parts.
 *
 * @throws OpmError OPM8001 when two parts give the same spec key.
 */
export function component<const Parts extends readonly ComponentPart<unknown>[]>(
  metadata: ComponentMetadataInit,
  ...parts: Parts
): ComponentDraft<MergedSpec<Parts>>;
export function component(...args: readonly unknown[]): ComponentDraft<unknown> {
  const [first, ...rest] = args;
  const metadata = first === undefined || isComponentPart(first) ? {} : (first as ComponentMetadataInit);
  const parts = (isComponentPart(first) ? args : rest) as ComponentPart<unknown>[];
  const spec: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part.spec as Record<string, unknown>)) {
      if (key in spec) {
        throw new OpmError("DuplicateSpec", {
          message: `spec.${key} is given by two parts of one component`,
          hint: "use each resource, trait or blueprint once per component",
        });
      }
      spec[key] = value;
    }
  }
  return { [DRAFT]: true, metadata, parts, spec };
}

/** Label key of the workload type every `Container` component must declare. */
export const WORKLOAD_TYPE_LABEL = LabelKeys.workloadType;
/**
 * How a `Container` component runs; the Kubernetes provider picks the workload kind by it
 * (Deployment, StatefulSet, DaemonSet, Job, CronJob).
 */
export type WorkloadType = "stateless" | "stateful" | "daemon" | "task" | "scheduled-task";

/** The workload type of a component built from `Container` (blueprints set it themselves). */
export function workloadType(type: WorkloadType): ComponentPart<Record<never, never>> {
  return labelsPart({ [WORKLOAD_TYPE_LABEL]: type });
}

function mergeLabels(
  target: Record<string, Labels[string]>,
  labels: Labels,
  what: string,
  name: string,
): void {
  for (const [key, value] of Object.entries(labels)) {
    const existing = target[key];
    if (existing !== undefined && existing !== value) {
      throw new OpmError("ComponentLabelConflict", {
        message: `component ${name}: ${what} ${key} is both ${JSON.stringify(existing)} and ${JSON.stringify(value)}`,
      });
    }
    target[key] = value;
  }
}

/** Turns a draft into the IR, named `name` unless the draft names itself. */
export function toComponent(draft: ComponentDraft<unknown>, name: string): Component {
  const componentName = draft.metadata.name ?? name;
  const labels: Record<string, Labels[string]> = {};
  const annotations: Record<string, Labels[string]> = {};
  mergeLabels(labels, draft.metadata.labels ?? {}, "label", componentName);
  mergeLabels(annotations, draft.metadata.annotations ?? {}, "annotation", componentName);
  const resources: Component["resources"] = {};
  const traits: Component["traits"] = {};
  const blueprints: Component["blueprints"] = {};
  const provides: Record<string, Provision> = {};
  for (const part of draft.parts) {
    for (const [local, provision] of Object.entries(part.provides ?? {})) {
      if (local in provides) {
        throw new OpmError("DuplicateSpec", {
          message: `component ${componentName}: two parts provide an interface as ${JSON.stringify(local)}`,
          hint: "give each provided interface its own local name",
        });
      }
      provides[local] = provision;
    }
    Object.assign(resources, part.resources);
    Object.assign(traits, part.traits);
    Object.assign(blueprints, part.blueprints);
    mergeLabels(labels, part.labels, "label", componentName);
    mergeLabels(annotations, part.annotations, "annotation", componentName);
  }
  const dependsOn = draft.metadata.dependsOn ?? [];
  return brand("Component", {
    kind: "Component",
    metadata: {
      name: componentName,
      labels,
      annotations,
      ...(dependsOn.length === 0 ? {} : { dependsOn: [...dependsOn] }),
    },
    resources,
    traits,
    blueprints,
    spec: draft.spec as Record<string, unknown>,
    ...(Object.keys(provides).length === 0 ? {} : { provides }),
  });
}
