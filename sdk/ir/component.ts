// A component: named composition of resources, traits and blueprints plus the spec that fills
// them (docs/upstream-compatibility.md). Plain data; the dsl builds it, the CUE bridge decodes it.
import type { SourceLocation } from "../errors.ts";
import { hasKind } from "./brand.ts";
import type { BlueprintDef, InterfaceDef, Labels, ResourceDef, TraitDef } from "./definitions.ts";

/** What identifies a component inside its module and what it asks of the pipeline. */
export interface ComponentMetadata {
  /** The component's key in the module (an RFC-1123 label); rendered objects are named after it. */
  readonly name: string;
  /**
   * The component's own labels. The pipeline adds the labels of every resource, trait and
   * blueprint and `component.opmodel.dev/name`; a conflicting value is an error.
   */
  readonly labels: Labels;
  /** The component's own annotations; with the release's they make the context's `annotations`. */
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

/**
 * A component as every layer after authoring sees it: the definitions it uses (blueprints not yet expanded)
 * and the spec that fills them. Plain data, the same from TS and from CUE.
 */
export interface Component {
  /** The IR discriminant. */
  readonly kind: "Component";
  /** Name, labels, annotations and ordering. */
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

/** True for a component (branded by the dsl, or plain data with `kind: "Component"` and metadata). */
export function isComponent(x: unknown): x is Component {
  return hasKind(x, "Component");
}
