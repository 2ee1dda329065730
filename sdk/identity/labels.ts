// The label sets OPM stamps on modules, releases, components and rendered objects
// (docs/upstream-compatibility.md). Transformers emit final labels (docs/architecture.md,
// decision 4), so everything a rendered object carries is computed here, in one place.
import { OpmError } from "../errors.ts";
import type { LabelValue, Labels } from "../ir/definitions.ts";

/**
 * The one table of label keys OPM reads and writes (docs/architecture.md, decision 12): the `*.opmodel.dev`
 * keys upstream stamps on modules, releases and components, and the `app.kubernetes.io/*` keys rendered
 * workloads carry. Code names a key through this table, never by its string.
 */
export const LabelKeys = {
  moduleName: "module.opmodel.dev/name",
  moduleVersion: "module.opmodel.dev/version",
  moduleUuid: "module.opmodel.dev/uuid",
  releaseName: "module-release.opmodel.dev/name",
  releaseVersion: "module-release.opmodel.dev/version",
  releaseUuid: "module-release.opmodel.dev/uuid",
  /** Set by the cluster side on the release inventory (docs/upstream-compatibility.md). */
  releaseNamespace: "module-release.opmodel.dev/namespace",
  componentName: "component.opmodel.dev/name",
  workloadType: "core.opmodel.dev/workload-type",
  category: "core.opmodel.dev/category",
  appName: "app.kubernetes.io/name",
  appInstance: "app.kubernetes.io/instance",
  appVersion: "app.kubernetes.io/version",
  appManagedBy: "app.kubernetes.io/managed-by",
} as const;

/** Keys with this prefix steer transformers and never reach rendered objects. */
export const TRANSFORMER_LABEL_PREFIX = "transformer.opmodel.dev/";
/** The `app.kubernetes.io/managed-by` value on every object OPM renders, upstream's spelling. */
export const MANAGED_BY = "open-platform-model";

/**
 * Label maps as Kubernetes stores them: number and boolean values become strings; `undefined` gives an empty
 * map.
 */
export function stringifyLabels(labels: Labels | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (labels === undefined) return out;
  for (const [key, value] of Object.entries(labels)) out[key] = stringifyLabelValue(value);
  return out;
}

export function stringifyLabelValue(value: LabelValue): string {
  return typeof value === "string" ? value : String(value);
}

/**
 * A copy without the `transformer.opmodel.dev/` keys, which steer matching and must not reach rendered
 * objects or selectors.
 */
export function withoutTransformerKeys(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    if (!key.startsWith(TRANSFORMER_LABEL_PREFIX)) out[key] = value;
  }
  return out;
}

/**
 * The `module.opmodel.dev/{name,version,uuid}` labels a module carries, from its name, version and identity
 * (UUIDv5).
 */
export function moduleLabels(name: string, version: string, identity: string): Record<string, string> {
  return {
    [LabelKeys.moduleName]: name,
    [LabelKeys.moduleVersion]: version,
    [LabelKeys.moduleUuid]: identity,
  };
}

/**
 * The `module-release.opmodel.dev/{name,version,uuid}` labels a release carries; `version` is the module
 * version the release runs.
 */
export function releaseLabels(name: string, version: string, identity: string): Record<string, string> {
  return {
    [LabelKeys.releaseName]: name,
    [LabelKeys.releaseVersion]: version,
    [LabelKeys.releaseUuid]: identity,
  };
}

/** The `component.opmodel.dev/name` label every component gets from its name in the module. */
export function componentNameLabel(name: string): Record<string, string> {
  return { [LabelKeys.componentName]: name };
}

/**
 * Labels a pod selector uses: the component's labels without transformer keys, plus app name,
 * plus `app.kubernetes.io/instance` when a release instance is given (release-prefixed naming).
 */
export function selectorLabels(
  componentName: string,
  componentLabels: Readonly<Record<string, string>>,
  instance?: string,
): Record<string, string> {
  return {
    ...withoutTransformerKeys(componentLabels),
    [LabelKeys.appName]: componentName,
    ...(instance === undefined ? {} : { [LabelKeys.appInstance]: instance }),
  };
}

/** `app.kubernetes.io/*`; the instance is the component unless a release instance is given. */
export function controllerLabels(
  componentName: string,
  moduleVersion: string,
  instance: string = componentName,
): Record<string, string> {
  return {
    [LabelKeys.appManagedBy]: MANAGED_BY,
    [LabelKeys.appName]: componentName,
    [LabelKeys.appInstance]: instance,
    [LabelKeys.appVersion]: moduleVersion,
  };
}

/** A source of labels for conflict messages, e.g. `trait …#Expose` or `module`. */
export interface LabelSource {
  /** How messages name the source, e.g. `trait …#Expose` or `module`. */
  readonly from: string;
  /** The labels it contributes; `undefined` contributes none. */
  readonly labels: Labels | undefined;
}

/**
 * Unions label maps like CUE unification does: the same key with a different value is a
 * conflict (an OpmError naming both sources), not a silent override. Values are stringified.
 */
export function unionLabels(
  sources: readonly LabelSource[],
  subject: string,
): { labels: Record<string, string>; errors: OpmError[] } {
  const labels: Record<string, string> = {};
  const origin: Record<string, string> = {};
  const errors: OpmError[] = [];
  for (const source of sources) {
    for (const [key, raw] of Object.entries(source.labels ?? {})) {
      const value = stringifyLabelValue(raw);
      const previous = labels[key];
      if (previous === undefined) {
        labels[key] = value;
        origin[key] = source.from;
      } else if (previous !== value) {
        errors.push(
          new OpmError("LabelConflict", {
            message: `${subject}: label ${key} is ${JSON.stringify(previous)} from ${origin[key]} but ${JSON.stringify(value)} from ${source.from}`,
            hint: "give the label one value, or drop it from one of the two sources",
            details: { key, values: [previous, value], sources: [origin[key], source.from] },
          }),
        );
      }
    }
  }
  return { labels, errors };
}
