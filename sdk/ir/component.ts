// A component: named composition of resources, traits and blueprints plus the spec that fills
// them (docs/upstream-compatibility.md). Plain data; the dsl builds it, the CUE bridge decodes it.
import type { SourceLocation } from "../errors.ts";
import { hasKind } from "./brand.ts";
import type { BlueprintDef, InterfaceDef, Labels, ResourceDef, TraitDef } from "./definitions.ts";

export interface ComponentMetadata {
  readonly name: string;
  /**
   * The component's own labels. The pipeline adds the labels of every resource, trait and
   * blueprint and `component.opmodel.dev/name`; a conflicting value is an error.
   */
  readonly labels: Labels;
  readonly annotations: Labels;
  /**
   * Components (by name) whose objects must exist, and with `--wait` be ready, before this
   * component's are applied; deleted in the reverse order. A cycle is a render error.
   */
  readonly dependsOn?: readonly string[];
}

/** An interface a component offers, with the values it gives (every field of the shape but `host`). */
export interface Provision {
  /** The interface provided. */
  readonly interface: InterfaceDef;
  /** The values of its shape the provider gives (all but `host`, which OPM sets). */
  readonly value: Readonly<Record<string, unknown>>;
}

export interface Component {
  readonly kind: "Component";
  readonly metadata: ComponentMetadata;
  /** Keyed by resource FQN. */
  readonly resources: Readonly<Record<string, ResourceDef>>;
  /** Keyed by trait FQN. */
  readonly traits: Readonly<Record<string, TraitDef>>;
  /** Keyed by blueprint FQN. */
  readonly blueprints: Readonly<Record<string, BlueprintDef>>;
  /** One entry per spec key of the definitions above, e.g. `{ container: {...}, scaling: {...} }`. */
  readonly spec: Readonly<Record<string, unknown>>;
  /** Interfaces the component offers, by local name (docs/interfaces.md). */
  readonly provides?: Readonly<Record<string, Provision>>;
  /** Interfaces the component needs, by local name; OPM wires each to one provider. */
  readonly requires?: Readonly<Record<string, InterfaceDef>>;
  /** Where the author wrote parts of the component, by path (`requires.db`), for errors about them. */
  readonly locations?: Readonly<Record<string, SourceLocation>>;
}

export function isComponent(x: unknown): x is Component {
  return hasKind(x, "Component");
}
