// A component part: what one builder call contributes to a component (a resource, trait or
// blueprint with its spec, or only labels). `component(...)` merges parts into the IR.
import type { BlueprintDef, Labels, Provision, ResourceDef, TraitDef } from "../sdk/index.ts";
import type { Blueprint, Resource, SpecOf, Trait } from "./definitions.ts";

const PART = "~opm/part";

/**
 * What one builder call contributes to a component (`Container({...})`, `Scaling({...})`,
 * `workloadType(...)`): at most one definition keyed by FQN, its spec under the definition's spec
 * key, and labels. `component(...)` merges parts.
 */
export interface ComponentPart<Spec = Record<string, unknown>> {
  /** Marks the part, so `component(...)` tells it from a metadata argument. */
  readonly [PART]: true;
  /** The resource this part adds, keyed by FQN (empty for a trait or blueprint part). */
  readonly resources: Readonly<Record<string, ResourceDef>>;
  /** The trait this part adds, keyed by FQN. */
  readonly traits: Readonly<Record<string, TraitDef>>;
  /** The blueprint this part adds, keyed by FQN. */
  readonly blueprints: Readonly<Record<string, BlueprintDef>>;
  /** The part's spec entry, e.g. `{ scaling: { count: 2 } }`. */
  readonly spec: Spec;
  /** Labels the part adds to the component, e.g. a blueprint's workload type. */
  readonly labels: Labels;
  /** Annotations the part adds to the component. */
  readonly annotations: Labels;
  /** Interfaces the part provides, by local name (`provides(...)`). */
  readonly provides?: Readonly<Record<string, Provision>>;
}

/** True for what a part builder returns. */
export function isComponentPart(x: unknown): x is ComponentPart {
  return typeof x === "object" && x !== null && (x as Record<string, unknown>)[PART] === true;
}

/** What a part builder adds to the component beside the definition: the mixin's labels. */
export interface PartExtras {
  /** Labels the mixin adds to the component. */
  readonly labels?: Labels;
  /** Annotations the mixin adds to the component. */
  readonly annotations?: Labels;
}

type AnyDefinition = Resource<string, unknown> | Trait<string, unknown> | Blueprint<string, unknown>;
type SpecEntry<D extends AnyDefinition> = { [K in D["specKey"]]: SpecOf<D> };

/** The part a definition contributes with the given spec, like embedding its CUE mixin. */
export function partOf<D extends AnyDefinition>(
  definition: D,
  spec: SpecOf<D>,
  extras: PartExtras = {},
): ComponentPart<SpecEntry<D>> {
  const fqn = definition.metadata.fqn;
  const def: ResourceDef | TraitDef | BlueprintDef = definition;
  return {
    [PART]: true,
    resources: def.kind === "Resource" ? { [fqn]: def } : {},
    traits: def.kind === "Trait" ? { [fqn]: def } : {},
    blueprints: def.kind === "Blueprint" ? { [fqn]: def } : {},
    spec: { [definition.specKey]: spec } as SpecEntry<D>,
    labels: extras.labels ?? {},
    annotations: extras.annotations ?? {},
  };
}

/** A builder function for a definition: `Scaling({ count: 2 })`. */
export type PartBuilder<D extends AnyDefinition> = (spec: SpecOf<D>) => ComponentPart<SpecEntry<D>>;

/**
 * Makes the builder function of a definition (the catalog's `Container`, `Scaling`, ...): each call
 * returns the part for one spec, with `extras` added.
 */
export function partBuilder<D extends AnyDefinition>(definition: D, extras: PartExtras = {}): PartBuilder<D> {
  return (spec) => partOf(definition, spec, extras);
}

/** A part that only adds labels, e.g. the workload type a `Container` requires. */
export function labelsPart(labels: Labels): ComponentPart<Record<never, never>> {
  return { [PART]: true, resources: {}, traits: {}, blueprints: {}, spec: {}, labels, annotations: {} };
}

/** A part that only declares provided interfaces (`provides(...)` in interface.ts). */
export function providesPart(
  provides: Readonly<Record<string, Provision>>,
): ComponentPart<Record<never, never>> {
  return {
    [PART]: true,
    resources: {},
    traits: {},
    blueprints: {},
    spec: {},
    labels: {},
    annotations: {},
    provides,
  };
}
