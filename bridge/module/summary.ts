// The module summary the engine answers with (bridge/go/module_summary.go): components and
// policies as plain data, definitions as FQN-keyed metadata; turned here into sdk IR. CUE has
// already applied the catalog mixins (blueprint specs mapped onto primitive specs, labels
// unified), so blueprints carry an `expand` that adds nothing.
import {
  brand,
  specKeyOf,
  type BlueprintDef,
  type Component,
  type DefinitionMetadata,
  type InterfaceDef,
  type Labels,
  type SourceLocation,
  type Policy,
  type PolicyCheck,
  type PolicyRuleDef,
  type ResourceDef,
  type TraitDef,
} from "../../sdk/index.ts";

type Json = Record<string, unknown>;

interface DefinitionSummary {
  readonly metadata: Json;
  readonly appliesTo?: readonly string[];
  readonly composedResources?: readonly Json[];
  readonly composedTraits?: readonly Json[];
  readonly enforcement?: PolicyRuleDef["enforcement"];
  /** A policy rule with a `#check` of its own. */
  readonly check?: boolean;
}

export interface ComponentSummary {
  readonly metadata: {
    readonly name: string;
    readonly labels?: Labels;
    readonly annotations?: Labels;
    readonly dependsOn?: readonly string[];
  };
  readonly spec?: Json;
  readonly resources: Readonly<Record<string, DefinitionSummary>>;
  readonly traits: Readonly<Record<string, DefinitionSummary>>;
  readonly blueprints: Readonly<Record<string, DefinitionSummary>>;
  /** Interfaces by local name: metadata and, for provides, the values given (all but host). */
  readonly provides?: Readonly<Record<string, InterfaceSummary & { readonly value?: Json }>>;
  readonly requires?: Readonly<Record<string, InterfaceSummary>>;
}

interface InterfaceSummary {
  readonly interface: Json;
  /** Where the value comes from: the author's field and the catalog definitions it unifies. */
  readonly positions?: readonly SourceLocation[];
}

export interface PolicySummary {
  readonly metadata: Policy["metadata"];
  readonly spec?: Json;
  readonly rules: Readonly<Record<string, DefinitionSummary>>;
  readonly appliesTo: Policy["appliesTo"];
  readonly onViolation?: Policy["onViolation"];
}

export type ComponentsSummary = Readonly<Record<string, ComponentSummary>>;
export type PoliciesSummary = Readonly<Record<string, PolicySummary>>;

function definitionMetadata(raw: Json): DefinitionMetadata {
  const { apiVersion, name, fqn, description, labels, annotations } = raw;
  return {
    apiVersion: String(apiVersion),
    name: String(name),
    fqn: String(fqn),
    ...(typeof description === "string" ? { description } : {}),
    ...(labels === undefined ? {} : { labels: labels as Labels }),
    ...(annotations === undefined ? {} : { annotations: annotations as Labels }),
  };
}

function resourceDef(raw: Json): ResourceDef {
  const metadata = definitionMetadata(raw);
  return brand("Resource", { kind: "Resource", metadata, specKey: specKeyOf(metadata.name) });
}

function traitDef(summary: DefinitionSummary): TraitDef {
  const metadata = definitionMetadata(summary.metadata);
  return brand("Trait", {
    kind: "Trait",
    metadata,
    specKey: specKeyOf(metadata.name),
    appliesTo: summary.appliesTo ?? [],
  });
}

function byFqn<T extends { metadata: DefinitionMetadata }>(items: readonly T[]): Record<string, T> {
  return Object.fromEntries(items.map((item) => [item.metadata.fqn, item]));
}

function blueprintDef(summary: DefinitionSummary): BlueprintDef {
  const metadata = definitionMetadata(summary.metadata);
  return brand("Blueprint", {
    kind: "Blueprint",
    metadata,
    specKey: specKeyOf(metadata.name),
    composedResources: byFqn((summary.composedResources ?? []).map(resourceDef)),
    composedTraits: byFqn((summary.composedTraits ?? []).map((m) => traitDef({ metadata: m }))),
    // The CUE mixin has mapped the blueprint's spec onto the primitives already.
    expand: () => ({}),
  });
}

function mapValues<A, B>(record: Readonly<Record<string, A>>, f: (a: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}

/**
 * A component; `isAuthorFile` picks, among the positions of a provided or required interface,
 * the one in the author's files (for wiring errors), and `place` makes it a full path.
 */
export function componentFromSummary(
  key: string,
  summary: ComponentSummary,
  isAuthorFile: (file: string) => boolean = () => true,
  place: (at: SourceLocation) => SourceLocation = (at) => at,
): Component {
  const locations: Record<string, SourceLocation> = {};
  for (const [field, entries] of [
    ["provides", summary.provides],
    ["requires", summary.requires],
  ] as const) {
    for (const [local, entry] of Object.entries(entries ?? {})) {
      const at = entry.positions?.find((p) => isAuthorFile(p.file));
      if (at !== undefined) locations[`${field}.${local}`] = place(at);
    }
  }
  return brand("Component", {
    kind: "Component",
    metadata: {
      name: summary.metadata.name === "" ? key : summary.metadata.name,
      labels: summary.metadata.labels ?? {},
      annotations: summary.metadata.annotations ?? {},
      ...(summary.metadata.dependsOn === undefined || summary.metadata.dependsOn.length === 0
        ? {}
        : { dependsOn: [...summary.metadata.dependsOn] }),
    },
    resources: mapValues(summary.resources, (d) => resourceDef(d.metadata)),
    traits: mapValues(summary.traits, traitDef),
    blueprints: mapValues(summary.blueprints, blueprintDef),
    spec: summary.spec ?? {},
    ...(summary.provides === undefined
      ? {}
      : {
          provides: mapValues(summary.provides, (p) => ({
            interface: interfaceDef(p.interface),
            value: p.value ?? {},
          })),
        }),
    ...(summary.requires === undefined
      ? {}
      : { requires: mapValues(summary.requires, (r) => interfaceDef(r.interface)) }),
    ...(Object.keys(locations).length === 0 ? {} : { locations }),
  });
}

/** An interface by its metadata: CUE checks the shape itself, so no schema or defaults here. */
function interfaceDef(raw: Json): InterfaceDef {
  return brand("Interface", { kind: "Interface", metadata: definitionMetadata(raw) });
}

/** A policy; `checkOf` gives the check of a rule written in CUE (one with a `#check`), by FQN. */
export function policyFromSummary(summary: PolicySummary, checkOf?: (fqn: string) => PolicyCheck): Policy {
  const rules = mapValues(summary.rules, (d): PolicyRuleDef => {
    const metadata = definitionMetadata(d.metadata);
    return brand("PolicyRule", {
      kind: "PolicyRule",
      metadata,
      specKey: specKeyOf(metadata.name),
      enforcement: d.enforcement ?? { mode: "deployment", onViolation: "block" },
      ...(d.check === true && checkOf !== undefined ? { check: checkOf(metadata.fqn) } : {}),
    });
  });
  return brand("Policy", {
    kind: "Policy",
    metadata: summary.metadata,
    rules,
    appliesTo: summary.appliesTo,
    ...(summary.onViolation === undefined ? {} : { onViolation: summary.onViolation }),
    spec: summary.spec ?? {},
  });
}
