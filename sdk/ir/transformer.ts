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
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly [k: string]: unknown };
  readonly [k: string]: unknown;
}

/** One object, a list, or a map of objects (docs/architecture.md, decision 9); `undefined` means none. */
export type TransformOutput =
  PlatformObject | readonly PlatformObject[] | Readonly<Record<string, PlatformObject>> | undefined;

/** A predicate's answer; `reason` explains the decision in the match plan. */
export interface MatchVerdict {
  readonly matched: boolean;
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

export interface TransformerMetadata extends DefinitionMetadata {
  readonly description: string;
}

export interface Transformer {
  readonly kind: "Transformer";
  readonly metadata: TransformerMetadata;
  /** Labels the component must carry with exactly these values. */
  readonly requiredLabels: Readonly<Record<string, string>>;
  readonly optionalLabels: Readonly<Record<string, string>>;
  /** FQNs. */
  readonly requiredResources: readonly string[];
  readonly optionalResources: readonly string[];
  readonly requiredTraits: readonly string[];
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
  readonly transform: (
    component: Component,
    context: TransformerContext,
  ) => TransformOutput | Promise<TransformOutput>;
}

/** What the runtime tells a transformer about the release and component (docs/upstream-compatibility.md). */
export interface TransformerContext {
  readonly kind: "TransformerContext";
  /** Release name and target namespace. */
  readonly name: string;
  readonly namespace: string;
  readonly release: {
    readonly name: string;
    readonly namespace: string;
    readonly fqn: string;
    readonly version: string;
    readonly identity: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  readonly component: {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  /** Release labels/annotations, stringified. */
  readonly moduleLabels: Readonly<Record<string, string>>;
  readonly moduleAnnotations: Readonly<Record<string, string>>;
  /** Component labels minus `transformer.opmodel.dev/*`, plus `app.kubernetes.io/name`; selectors. */
  readonly componentLabels: Readonly<Record<string, string>>;
  readonly componentAnnotations: Readonly<Record<string, string>>;
  /** `app.kubernetes.io/{managed-by,name,instance,version}`. */
  readonly controllerLabels: Readonly<Record<string, string>>;
  /** moduleLabels + componentLabels + controllerLabels: the labels of every emitted object. */
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** How this render names objects; {@link TransformerContext.objectName} applies it. */
  readonly naming: NamingMode;
  /**
   * The name an emitted object gets for a base name (the component name, a volume name, ...):
   * the base itself, or `<release>-<base>` when releases must not collide (docs/architecture.md, decision 7).
   */
  objectName(base: string): string;
}

export interface ProviderMetadata {
  readonly name: string;
  readonly description: string;
  readonly version: string;
  readonly minVersion: string;
  readonly labels: Labels;
}

export interface Provider {
  readonly kind: "Provider";
  readonly metadata: ProviderMetadata;
  /** Keyed by transformer FQN. */
  readonly transformers: Readonly<Record<string, Transformer>>;
  /** How the provider enforces policy rules that carry no check of their own, keyed by rule FQN. */
  readonly policyRules?: Readonly<Record<string, PolicyRuleImplementation>>;
}

export function isTransformer(x: unknown): x is Transformer {
  return hasKind(x, "Transformer");
}
export function isProvider(x: unknown): x is Provider {
  return hasKind(x, "Provider");
}
export function isTransformerContext(x: unknown): x is TransformerContext {
  return hasKind(x, "TransformerContext");
}
