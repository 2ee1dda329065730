// The definitions a component is made of: Resources (what exists), Traits (how it behaves),
// Blueprints (reusable bundles) and PolicyRules. Reference sections 1.2–1.4 and 1.8.
import { hasKind } from "./brand.ts";
import type { PolicyCheck } from "./policy.ts";

/** Label and annotation values as CUE allows them; transformers stringify them. */
export type LabelValue = string | number | boolean;
/** A label or annotation map as authored: values may still be numbers or booleans. */
export type Labels = Readonly<Record<string, LabelValue>>;

/** Metadata shared by every definition that has an FQN. */
export interface DefinitionMetadata {
  /** `<path>@v<major>`, e.g. `opmodel.dev/resources/workload@v0`. */
  readonly apiVersion: string;
  /** Kebab-case name, e.g. `health-check`. */
  readonly name: string;
  /** `<apiVersion>#<PascalName>`, e.g. `opmodel.dev/traits/workload@v0#HealthCheck`. */
  readonly fqn: string;
  /** One line on what the definition is for. */
  readonly description?: string;
  /** Reach the component that uses the definition and take part in matching. */
  readonly labels?: Labels;
  /** Annotations that reach the component using the definition, like `labels` (no part of matching). */
  readonly annotations?: Labels;
}

/**
 * A schema handle for a definition's spec. Opaque to sdk: a zod schema in TS, a CUE path for
 * CUE definitions. sdk only calls `validate` when present.
 */
export interface SpecSchema {
  /** Returns every problem of `value` against the spec schema, each at its path; empty when valid. */
  validate?(value: unknown): readonly { path: readonly (string | number)[]; message: string }[];
}

interface DefinitionBase {
  readonly metadata: DefinitionMetadata;
  /** The key of this definition's part of `component.spec`: camelCase of the PascalName. */
  readonly specKey: string;
  /** A concrete default instance of the spec (`#defaults`). */
  readonly defaults?: unknown;
  readonly schema?: SpecSchema;
}

/** What a component has (a Container, Volumes, a ConfigMap): a resource a transformer turns into objects. */
export interface ResourceDef extends DefinitionBase {
  /** The IR discriminant. */
  readonly kind: "Resource";
}

/**
 * How a component behaves (Scaling, Expose, HealthCheck): a trait transformers read while rendering the
 * resources it applies to.
 */
export interface TraitDef extends DefinitionBase {
  /** The IR discriminant. */
  readonly kind: "Trait";
  /** FQNs of the resources this trait may be attached to. */
  readonly appliesTo: readonly string[];
}

/**
 * A bundle of resources and traits with a spec of its own. Expanding it adds the composed
 * definitions and the blueprint's labels to the component (unlike upstream, whose blueprint
 * labels never reached the component), and maps the blueprint spec onto the primitive specs.
 */
export interface BlueprintDef extends DefinitionBase {
  /** The IR discriminant. */
  readonly kind: "Blueprint";
  /** The resources the blueprint adds to a component, keyed by FQN. */
  readonly composedResources: Readonly<Record<string, ResourceDef>>;
  /** The traits the blueprint adds to a component, keyed by FQN. */
  readonly composedTraits: Readonly<Record<string, TraitDef>>;
  /**
   * Maps the blueprint's spec value to primitive spec entries (keyed by spec key). Without it,
   * each field of the blueprint spec whose key is a composed definition's spec key is copied.
   */
  readonly expand?: (blueprintSpec: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

/**
 * Where a policy rule is meant to be enforced, upstream's field: `deployment` (at render), `runtime` (on the
 * cluster) or `both`. OPM carries it; render checks every rule whatever its mode.
 */
export type EnforcementMode = "deployment" | "runtime" | "both";
/**
 * What a violation does (docs/policies.md): `block` is a render error and nothing is rendered, `warn` a
 * warning (OPM3101), `audit` only a record in the policy results.
 */
export type ViolationAction = "block" | "warn" | "audit";

/**
 * A rule a Policy applies to the components it selects: a check of its own, or one the provider implements
 * for its FQN (docs/policies.md).
 */
export interface PolicyRuleDef extends DefinitionBase {
  /** The IR discriminant. */
  readonly kind: "PolicyRule";
  /** Where the rule applies and what a violation does unless the policy that uses it says otherwise. */
  readonly enforcement: {
    readonly mode: EnforcementMode;
    readonly onViolation: ViolationAction;
    readonly platform?: unknown;
  };
  /**
   * The rule's own check (a rule written in TS, or a CUE rule's `#check`). Without one, the
   * provider's implementation of the rule's FQN enforces it.
   */
  readonly check?: PolicyCheck;
}

/**
 * A typed contract between components (RFC-0004): a component provides it (giving the fields
 * of its shape) or requires it (reading them). `host` is part of every shape and is never given
 * by the provider: OPM sets it to the providing component's Service DNS name when it wires the
 * requirement (docs/interfaces.md).
 */
export interface InterfaceDef {
  /** The IR discriminant. */
  readonly kind: "Interface";
  /** apiVersion, name and FQN; a component names the interface by FQN in `provides`/`requires`. */
  readonly metadata: DefinitionMetadata;
  /** Concrete defaults of the shape's optional fields (`#defaults`), e.g. `{ port: 5432 }`. */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** Checks the values a provider gives (the shape without `host`); CUE checks its own. */
  readonly schema?: SpecSchema;
}

/** Any definition a component can be made of or a policy can apply. */
export type Definition = ResourceDef | TraitDef | BlueprintDef | PolicyRuleDef;

/** True for a resource definition. */
export function isResource(x: unknown): x is ResourceDef {
  return hasKind(x, "Resource");
}
/** True for a trait definition. */
export function isTrait(x: unknown): x is TraitDef {
  return hasKind(x, "Trait");
}
/** True for a blueprint definition. */
export function isBlueprint(x: unknown): x is BlueprintDef {
  return hasKind(x, "Blueprint");
}
/** True for a policy rule definition. */
export function isPolicyRule(x: unknown): x is PolicyRuleDef {
  return hasKind(x, "PolicyRule");
}
/** True for an interface definition (RFC-0004), from the dsl or read from CUE. */
export function isInterface(x: unknown): x is InterfaceDef {
  return hasKind(x, "Interface");
}
