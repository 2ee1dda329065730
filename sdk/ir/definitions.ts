// The definitions a component is made of: Resources (what exists), Traits (how it behaves),
// Blueprints (reusable bundles) and PolicyRules. Reference sections 1.2–1.4 and 1.8.
import { hasKind } from "./brand.ts";
import type { PolicyCheck } from "./policy.ts";

/** Label and annotation values as CUE allows them; transformers stringify them. */
export type LabelValue = string | number | boolean;
export type Labels = Readonly<Record<string, LabelValue>>;

/** Metadata shared by every definition that has an FQN. */
export interface DefinitionMetadata {
  /** `<path>@v<major>`, e.g. `opmodel.dev/resources/workload@v0`. */
  readonly apiVersion: string;
  /** Kebab-case name, e.g. `health-check`. */
  readonly name: string;
  /** `<apiVersion>#<PascalName>`, e.g. `opmodel.dev/traits/workload@v0#HealthCheck`. */
  readonly fqn: string;
  readonly description?: string;
  /** Reach the component that uses the definition and take part in matching. */
  readonly labels?: Labels;
  readonly annotations?: Labels;
}

/**
 * A schema handle for a definition's spec. Opaque to sdk: a zod schema in TS, a CUE path for
 * CUE definitions. sdk only calls `validate` when present.
 */
export interface SpecSchema {
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

export interface ResourceDef extends DefinitionBase {
  readonly kind: "Resource";
}

export interface TraitDef extends DefinitionBase {
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
  readonly kind: "Blueprint";
  readonly composedResources: Readonly<Record<string, ResourceDef>>;
  readonly composedTraits: Readonly<Record<string, TraitDef>>;
  /**
   * Maps the blueprint's spec value to primitive spec entries (keyed by spec key). Without it,
   * each field of the blueprint spec whose key is a composed definition's spec key is copied.
   */
  readonly expand?: (blueprintSpec: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

export type EnforcementMode = "deployment" | "runtime" | "both";
export type ViolationAction = "block" | "warn" | "audit";

export interface PolicyRuleDef extends DefinitionBase {
  readonly kind: "PolicyRule";
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

export type Definition = ResourceDef | TraitDef | BlueprintDef | PolicyRuleDef;

export function isResource(x: unknown): x is ResourceDef {
  return hasKind(x, "Resource");
}
export function isTrait(x: unknown): x is TraitDef {
  return hasKind(x, "Trait");
}
export function isBlueprint(x: unknown): x is BlueprintDef {
  return hasKind(x, "Blueprint");
}
export function isPolicyRule(x: unknown): x is PolicyRuleDef {
  return hasKind(x, "PolicyRule");
}
