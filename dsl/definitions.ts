// Builders for definitions: resources, traits, blueprints and policy rules. They compute what
// the CUE core computes (FQN, spec key) and keep the spec type as a phantom, so parts built from
// a definition are typed by it. The catalog's generated bindings are made with these too.
import {
  brand,
  fqnOf,
  specKeyOf,
  type BlueprintDef,
  type DefinitionMetadata,
  type EnforcementMode,
  type Labels,
  type PolicyCheck,
  type PolicyCheckInput,
  type PolicyRuleDef,
  type PolicyViolation,
  type ResourceDef,
  type TraitDef,
  type ViolationAction,
} from "../sdk/index.ts";
import type { z } from "zod";
import type { SpecKeyOf } from "./names.ts";
import { zodSpecSchema } from "./schema.ts";

/** What an author writes in a definition's `metadata`; the builders compute the FQN from it. */
export interface DefinitionMetadataInit<Name extends string> {
  /** `<path>@v<major>`, e.g. `example.com/resources/storage@v0`. */
  readonly apiVersion: string;
  /** Kebab-case; the FQN and spec key derive from it. */
  readonly name: Name;
  /** One line on what the definition is for. */
  readonly description?: string;
  /** Labels that reach every component using the definition and take part in matching. */
  readonly labels?: Labels;
  /** Annotations that reach every component using the definition. */
  readonly annotations?: Labels;
}

interface DefinitionInit<Name extends string, Spec> {
  readonly metadata: DefinitionMetadataInit<Name>;
  /**
   * Validates the spec. Without an explicit spec type, its input type is the spec type
   * builders accept.
   */
  readonly schema?: z.ZodType<unknown, Spec> | z.ZodType;
  /** A concrete default instance of the spec (`#defaults`). */
  readonly defaults?: Spec;
}

/** The type-level facts every typed definition carries: its spec key and spec type. */
interface Typed<Name extends string, Spec> {
  readonly specKey: SpecKeyOf<Name>;
  /** Phantom: never set at run time; carries the spec type to builders. */
  readonly "~spec"?: Spec;
}

/**
 * A resource definition that also carries its spec key and spec type, so the parts built from it
 * are typed (what `defineResource` returns).
 */
export type Resource<Name extends string = string, Spec = unknown> = ResourceDef & Typed<Name, Spec>;
/** A trait definition typed by its spec key and spec type (what `defineTrait` returns). */
export type Trait<Name extends string = string, Spec = unknown> = TraitDef & Typed<Name, Spec>;
/** A blueprint definition typed by its spec key and spec type (what `defineBlueprint` returns). */
export type Blueprint<Name extends string = string, Spec = unknown> = BlueprintDef & Typed<Name, Spec>;
/** A policy rule definition typed by its spec key and spec type (what `definePolicyRule` returns). */
export type PolicyRule<Name extends string = string, Spec = unknown> = PolicyRuleDef & Typed<Name, Spec>;

/** The spec type of a typed definition. */
export type SpecOf<D> = D extends { readonly "~spec"?: infer Spec } ? Spec : never;

/** A definition's metadata with its FQN, as the CUE core computes it. */
export function definitionMetadataOf(init: DefinitionMetadataInit<string>): DefinitionMetadata {
  const { apiVersion, name, description, labels, annotations } = init;
  return {
    apiVersion,
    name,
    fqn: fqnOf(apiVersion, name),
    ...(description === undefined ? {} : { description }),
    ...(labels === undefined ? {} : { labels }),
    ...(annotations === undefined ? {} : { annotations }),
  };
}

function common<Name extends string, Spec>(init: DefinitionInit<Name, Spec>) {
  const { name } = init.metadata;
  return {
    metadata: definitionMetadataOf(init.metadata),
    specKey: specKeyOf(name) as SpecKeyOf<Name>,
    ...(init.defaults === undefined ? {} : { defaults: init.defaults }),
    ...(init.schema === undefined ? {} : { schema: zodSpecSchema(init.schema) }),
  };
}

/**
 * Defines a resource: something that must exist.
 *
 * Example: `const Bucket = defineResource({ metadata: { apiVersion: "example.com/storage@v0", name: "bucket" }, schema: z.object({ size: z.string() }) })`.
 */
export function defineResource<const Name extends string, Spec = unknown>(
  init: DefinitionInit<Name, Spec>,
): Resource<Name, Spec> {
  return brand("Resource", { kind: "Resource" as const, ...common(init) });
}

/** Defines a trait: how a component behaves. `appliesTo` lists the resources it attaches to. */
export function defineTrait<const Name extends string, Spec = unknown>(
  init: DefinitionInit<Name, Spec> & { readonly appliesTo: readonly ResourceDef[] },
): Trait<Name, Spec> {
  return brand("Trait", {
    kind: "Trait" as const,
    ...common(init),
    appliesTo: init.appliesTo.map((r) => r.metadata.fqn),
  });
}

/**
 * Defines a blueprint: a bundle of resources and traits with a spec of its own. Without
 * `expand`, each field of the blueprint spec named like a composed definition's spec key is
 * copied onto that definition's spec, and `expansionDefaults` (generated from the CUE mixin)
 * fill the ones the blueprint spec leaves unset, as CUE does.
 */
export function defineBlueprint<const Name extends string, Spec = unknown>(
  init: DefinitionInit<Name, Spec> & {
    readonly composedResources: readonly ResourceDef[];
    readonly composedTraits?: readonly TraitDef[];
    readonly expand?: (spec: Spec) => Record<string, unknown>;
    readonly expansionDefaults?: Readonly<Record<string, unknown>>;
  },
): Blueprint<Name, Spec> {
  const byFqn = <D extends { metadata: { fqn: string } }>(defs: readonly D[]) =>
    Object.fromEntries(defs.map((d) => [d.metadata.fqn, d]));
  const specKeys = [...init.composedResources, ...(init.composedTraits ?? [])].map((d) => d.specKey);
  const defaults = init.expansionDefaults;
  const expand =
    init.expand ??
    (defaults === undefined
      ? undefined
      : (spec: Spec): Record<string, unknown> => {
          const given = spec as Readonly<Record<string, unknown>>;
          const out: Record<string, unknown> = {};
          for (const key of specKeys) {
            const value = given[key] ?? defaults[key];
            if (value !== undefined) out[key] = value;
          }
          return out;
        });
  return brand("Blueprint", {
    kind: "Blueprint" as const,
    ...common(init),
    composedResources: byFqn(init.composedResources),
    composedTraits: byFqn(init.composedTraits ?? []),
    ...(expand === undefined
      ? {}
      : { expand: (spec: Readonly<Record<string, unknown>>) => expand(spec as Spec) }),
  });
}

/** What a rule's check is given, with the rule's spec typed. */
export type TypedPolicyCheckInput<Spec> = Omit<PolicyCheckInput, "spec"> & { readonly spec: Spec };

/**
 * Defines a policy rule: a governance rule with an enforcement mode, and (for a rule written in
 * TS) the check that enforces it over a component and the objects rendered for it. Without a
 * check, the provider's implementation of the rule's FQN enforces it.
 *
 * Example: `definePolicyRule({ metadata: { apiVersion: "example.com/policies@v0", name: "team-label" }, enforcement: { mode: "deployment", onViolation: "block" }, check: ({ component }) => component.metadata.labels["team"] === undefined ? [{ message: "no team label" }] : [] })`.
 */
export function definePolicyRule<const Name extends string, Spec = unknown>(
  init: DefinitionInit<Name, Spec> & {
    readonly enforcement: {
      readonly mode: EnforcementMode;
      readonly onViolation: ViolationAction;
      readonly platform?: unknown;
    };
    readonly check?: (
      input: TypedPolicyCheckInput<Spec>,
    ) => readonly PolicyViolation[] | Promise<readonly PolicyViolation[]>;
  },
): PolicyRule<Name, Spec> {
  return brand("PolicyRule", {
    kind: "PolicyRule" as const,
    ...common(init),
    enforcement: init.enforcement,
    ...(init.check === undefined ? {} : { check: init.check as PolicyCheck }),
  });
}
