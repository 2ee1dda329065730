// Transformers turn matched components into platform objects; a Provider holds them.
// Reference sections 1.9–1.11. A transformer's work is a function, so a TS transformer is plain
// code and a CUE transformer is a function the bridge supplies that calls the CUE engine.
import { hasKind } from "./brand.ts";
import type { Component } from "./component.ts";
import type { DefinitionMetadata, Labels } from "./definitions.ts";
import type { NamingMode } from "./module.ts";
import type { PolicyRuleImplementation } from "./policy.ts";

/** A Kubernetes-style object as transformers emit it. */
export interface PlatformObject {
  /** The object's API version, e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** The object's kind, e.g. `Deployment`. */
  readonly kind: string;
  /** `name` (required of every emitted object), `namespace`, labels, annotations and the rest. */
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly [k: string]: unknown };
  /** The rest of the object (`spec`, `data`, ...), passed through as the transformer wrote it. */
  readonly [k: string]: unknown;
}

/** One object, a list, or a map of objects (docs/architecture.md, decision 9); `undefined` means none. */
export type TransformOutput =
  PlatformObject | readonly PlatformObject[] | Readonly<Record<string, PlatformObject>> | undefined;

/** A predicate's answer; `reason` explains the decision in the match plan. */
export interface MatchVerdict {
  /** Whether the transformer renders the component. */
  readonly matched: boolean;
  /** Why, shown by `--verbose` and in the error for an unmatched component. */
  readonly reason?: string;
}

/**
 * Decides whether a transformer matches a component: the extension point of matching
 * (docs/render-pipeline.md, "Matching"). Three kinds exist, tried in this order: the
 * transformer's own `matches` (a TS function, or a CUE `#Matches` the bridge wraps), the
 * `matcher` a caller passes to `render`, and the default all-of rule (`matchRequirements`).
 * A plain `true`/`false` is recorded without a reason; return a `MatchVerdict` to explain.
 */
export type ComponentMatcher = (
  component: Component,
  transformer: Transformer,
) => boolean | MatchVerdict | Promise<boolean | MatchVerdict>;

/** A transformer's identity: a definition with an FQN and a description. */
export interface TransformerMetadata extends DefinitionMetadata {
  /** What the transformer renders, e.g. "Container and scaling to a Deployment". */
  readonly description: string;
}

/**
 * Turns a matched component into platform objects. A TS transformer is plain code; a CUE transformer is a
 * function the bridge supplies that asks the CUE engine.
 */
export interface Transformer {
  /** The IR discriminant. */
  readonly kind: "Transformer";
  /** apiVersion, name, FQN and description; the provider keys the transformer by its FQN. */
  readonly metadata: TransformerMetadata;
  /** Labels the component must carry with exactly these values. */
  readonly requiredLabels: Readonly<Record<string, string>>;
  /** Labels the transformer reads when present; they never decide a match. */
  readonly optionalLabels: Readonly<Record<string, string>>;
  /** FQNs. */
  readonly requiredResources: readonly string[];
  /** FQNs of resources the transformer reads when present; they never decide a match. */
  readonly optionalResources: readonly string[];
  /**
   * FQNs of the traits the component must have; a component's trait that no matched transformer requires or
   * accepts is reported as unhandled.
   */
  readonly requiredTraits: readonly string[];
  /** FQNs of traits the transformer reads when present, so they count as handled. */
  readonly optionalTraits: readonly string[];
  /**
   * FQNs of the resources whose content this transformer turns into objects (a workload
   * transformer renders the Container; a Service transformer only reads its ports). A resource
   * of a component that no matched transformer handles is an error, never silently dropped.
   * @default requiredResources and optionalResources
   */
  readonly handledResources?: readonly string[];
  /**
   * When present, replaces the all-of rule on required labels/resources/traits. The required and
   * optional lists still decide which traits count as handled.
   */
  readonly matches?: (component: Component) => boolean | MatchVerdict | Promise<boolean | MatchVerdict>;
  /**
   * Emits the objects for one component. A throw is OPM4001 and an output that is not objects
   * with `apiVersion`, `kind` and `metadata.name` is OPM3004, each naming the transformer and
   * component.
   */
  readonly transform: (
    component: Component,
    context: TransformerContext,
  ) => TransformOutput | Promise<TransformOutput>;
}

/**
 * What the runtime tells a transformer about the release and component, and the label sets
 * derived from them (docs/upstream-compatibility.md). Each fact is here once: the release's name
 * and namespace are `release.name` and `release.namespace`, its labels `release.labels`. (CUE's
 * `#TransformerContext` also offers upstream v0's shorthands `name`, `namespace` and
 * `moduleLabels`, which v0 transformers read; a TS transformer has no such legacy.)
 */
export interface TransformerContext {
  /** The IR discriminant. */
  readonly kind: "TransformerContext";
  /**
   * The release the component belongs to: name, namespace, module FQN and version, identity, labels and
   * annotations.
   */
  readonly release: {
    readonly name: string;
    /** The namespace every namespaced object of the release goes to. */
    readonly namespace: string;
    readonly fqn: string;
    readonly version: string;
    readonly identity: string;
    /** The release's labels and annotations, values as strings. */
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  /** The component's name and its own labels and annotations, as the author wrote them (stringified). */
  readonly component: {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  /** Component labels minus `transformer.opmodel.dev/*`, plus `app.kubernetes.io/name`; selectors. */
  readonly componentLabels: Readonly<Record<string, string>>;
  /** Component annotations minus `transformer.opmodel.dev/*`. */
  readonly componentAnnotations: Readonly<Record<string, string>>;
  /** `app.kubernetes.io/{managed-by,name,instance,version}`. */
  readonly controllerLabels: Readonly<Record<string, string>>;
  /** release.labels + componentLabels + controllerLabels: the labels of every emitted object. */
  readonly labels: Readonly<Record<string, string>>;
  /** release.annotations + componentAnnotations: the annotations of every emitted object. */
  readonly annotations: Readonly<Record<string, string>>;
  /** How this render names objects; {@link TransformerContext.objectName} applies it. */
  readonly naming: NamingMode;
  /**
   * The name an emitted object gets for a base name (the component name, a volume name, ...):
   * the base itself, or `<release>-<base>` when releases must not collide (docs/architecture.md, decision 7).
   */
  objectName(base: string): string;
}

/** What names a provider; upstream's fields. */
export interface ProviderMetadata {
  /** The provider's name, e.g. `kubernetes`. */
  readonly name: string;
  /** What the provider renders to. */
  readonly description: string;
  /** The provider's version. */
  readonly version: string;
  /**
   * Upstream's `minVersion` field, carried as given (nothing checks it); the dsl defaults it to `version`.
   */
  readonly minVersion: string;
  /** Describe the provider, e.g. `core.opmodel.dev/format: kubernetes`. */
  readonly labels: Labels;
}

/**
 * A set of transformers for one platform, and how it enforces policy rules: what `render` renders a
 * module with.
 */
export interface Provider {
  /** The IR discriminant. */
  readonly kind: "Provider";
  /** Name, version and labels. */
  readonly metadata: ProviderMetadata;
  /** Keyed by transformer FQN. */
  readonly transformers: Readonly<Record<string, Transformer>>;
  /** How the provider enforces policy rules that carry no check of their own, keyed by rule FQN. */
  readonly policyRules?: Readonly<Record<string, PolicyRuleImplementation>>;
}

/** True for a transformer (branded, or plain data with `kind: "Transformer"` and metadata). */
export function isTransformer(x: unknown): x is Transformer {
  return hasKind(x, "Transformer");
}
/** True for a provider. */
export function isProvider(x: unknown): x is Provider {
  return hasKind(x, "Provider");
}
/** True for a transformer context. */
export function isTransformerContext(x: unknown): x is TransformerContext {
  return hasKind(x, "TransformerContext");
}
