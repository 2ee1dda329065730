// A small constructor for this provider's transformers, so each transformer file states only
// its requirements and its mapping.
import {
  brand,
  fqnOf,
  type Component,
  type Labels,
  type TransformOutput,
  type Transformer,
  type TransformerContext,
} from "../../sdk/index.ts";
import type { KubernetesComponentSpec } from "./spec.ts";

/** The apiVersion of the Kubernetes provider's TS transformers; their FQNs are `<this>#<PascalName>`. */
export const TRANSFORMERS_API_VERSION = "opmodel.dev/providers/kubernetes/transformers@v0";

export interface KubernetesTransformerInit {
  /** Kebab-case, e.g. `deployment-transformer`. */
  readonly name: string;
  readonly description: string;
  readonly labels?: Labels;
  readonly requiredLabels?: Readonly<Record<string, string>>;
  readonly requiredResources?: readonly string[];
  readonly optionalResources?: readonly string[];
  readonly requiredTraits?: readonly string[];
  readonly optionalTraits?: readonly string[];
  /** Resources whose content it renders. @default requiredResources and optionalResources */
  readonly handledResources?: readonly string[];
  readonly transform: (
    spec: KubernetesComponentSpec,
    component: Component,
    context: TransformerContext,
  ) => TransformOutput;
}

export function defineKubernetesTransformer(init: KubernetesTransformerInit): Transformer {
  return brand("Transformer", {
    kind: "Transformer",
    metadata: {
      apiVersion: TRANSFORMERS_API_VERSION,
      name: init.name,
      fqn: fqnOf(TRANSFORMERS_API_VERSION, init.name),
      description: init.description,
      ...(init.labels === undefined ? {} : { labels: init.labels }),
    },
    requiredLabels: init.requiredLabels ?? {},
    optionalLabels: {},
    requiredResources: init.requiredResources ?? [],
    optionalResources: init.optionalResources ?? [],
    requiredTraits: init.requiredTraits ?? [],
    optionalTraits: init.optionalTraits ?? [],
    ...(init.handledResources === undefined ? {} : { handledResources: init.handledResources }),
    transform: (component: Component, context: TransformerContext) =>
      init.transform(component.spec as KubernetesComponentSpec, component, context),
  });
}

/** Entries of a map sorted by key, so output never depends on authoring order. */
export function sortedEntries<T>(map: Readonly<Record<string, T>> | undefined): [string, T][] {
  if (map === undefined) return [];
  return Object.keys(map)
    .sort()
    .map((key) => [key, map[key]!]);
}

/** Drops `undefined` fields, so optional inputs never appear as empty keys. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = field;
  return out as T;
}

/** The metadata block every emitted object starts with. */
export function objectMetadata(
  context: TransformerContext,
  name: string,
  withAnnotations: boolean,
): Record<string, unknown> {
  return compact({
    name,
    namespace: context.release.namespace,
    labels: { ...context.labels },
    annotations: withAnnotations ? { ...context.componentAnnotations } : undefined,
  });
}

export function requireSpec<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`spec.${what} is required`);
  return value;
}
