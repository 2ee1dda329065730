// The module summary: one extra file in the module's own package (an overlay, never written
// to disk) declares `#opmSummary`, the module reduced to plain data (metadata, components with
// their definitions as FQN-keyed metadata, policies), so one export reads the whole module;
// the exported summary is then turned into sdk IR. Definitions are exempt from the closedness
// of `core.#Module`, hence the `#`. CUE has already applied the catalog mixins (blueprint specs
// mapped onto primitive specs, labels unified), so blueprints carry an `expand` that adds nothing.
import {
  brand,
  specKeyOf,
  type BlueprintDef,
  type Component,
  type DefinitionMetadata,
  type Labels,
  type Policy,
  type PolicyRuleDef,
  type ResourceDef,
  type TraitDef,
} from "../../sdk/index.ts";

/** The name of the overlay file, chosen so it cannot clash with an author's file. */
export const OVERLAY_FILE = "zz_opm_loader_overlay.cue";

export const SUMMARY_PATH = "#opmSummary";

/**
 * CUE source of the overlay. `prefix` is the CUE path of the module value inside the package
 * (empty when the package itself is the module, as upstream modules are written).
 */
export function overlaySource(packageName: string, prefix: string): string {
  const at = (field: string): string => (prefix === "" ? field : `${prefix}.${field}`);
  // Fields a module gets only from embedding core.#Module are not in the package's lexical
  // scope; declaring them (as top, which changes nothing) makes them referable here.
  const declarations = prefix === "" ? "#components: _\n#policies: _\n" : "";
  return `package ${packageName}

${declarations}
_opmDefinitions: {
	#in: _
	out: {for fqn, d in #in {(fqn): {
		metadata: d.metadata
		if d.appliesTo != _|_ {appliesTo: [for r in d.appliesTo {r.metadata.fqn}]}
		if d.composedResources != _|_ {composedResources: [for r in d.composedResources {r.metadata}]}
		if d.composedTraits != _|_ {composedTraits: [for t in d.composedTraits {t.metadata}]}
		if d.enforcement != _|_ {enforcement: d.enforcement}
	}}}
}

${SUMMARY_PATH}: {
	metadata: ${at("metadata")}
	components: {for key, c in ${at("#components")} {(key): {
		metadata: c.metadata
		spec: c.spec
		resources: (_opmDefinitions & {#in: *c.#resources | {}}).out
		traits: (_opmDefinitions & {#in: *c.#traits | {}}).out
		blueprints: (_opmDefinitions & {#in: *c.#blueprints | {}}).out
	}}}
	policies: {if ${at("#policies")} != _|_ {for key, p in ${at("#policies")} {(key): {
		metadata: p.metadata
		spec: p.spec
		rules: (_opmDefinitions & {#in: *p.#rules | {}}).out
		appliesTo: {
			if p.appliesTo.matchLabels != _|_ {matchLabels: p.appliesTo.matchLabels}
			if p.appliesTo.components != _|_ {components: [for c in p.appliesTo.components {c.metadata.name}]}
		}
	}}}}
}
`;
}

/** The package name from an import path: `example.com/app@v0:app` or `example.com/app@v0`. */
export function packageNameOf(importPath: string): string {
  const colon = importPath.lastIndexOf(":");
  if (colon >= 0) return importPath.slice(colon + 1);
  const last = importPath.split("/").pop() ?? importPath;
  return last.replace(/@v\d+$/, "").replace(/[^A-Za-z0-9_]/g, "_");
}

type Json = Record<string, unknown>;

interface DefinitionSummary {
  readonly metadata: Json;
  readonly appliesTo?: readonly string[];
  readonly composedResources?: readonly Json[];
  readonly composedTraits?: readonly Json[];
  readonly enforcement?: PolicyRuleDef["enforcement"];
}

export interface ComponentSummary {
  readonly metadata: { readonly name: string; readonly labels?: Labels; readonly annotations?: Labels };
  readonly spec?: Json;
  readonly resources: Readonly<Record<string, DefinitionSummary>>;
  readonly traits: Readonly<Record<string, DefinitionSummary>>;
  readonly blueprints: Readonly<Record<string, DefinitionSummary>>;
}

export interface PolicySummary {
  readonly metadata: Policy["metadata"];
  readonly spec?: Json;
  readonly rules: Readonly<Record<string, DefinitionSummary>>;
  readonly appliesTo: Policy["appliesTo"];
}

export interface ModuleSummary {
  readonly metadata: Json;
  readonly components: Readonly<Record<string, ComponentSummary>>;
  readonly policies: Readonly<Record<string, PolicySummary>>;
}

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

export function componentFromSummary(key: string, summary: ComponentSummary): Component {
  return brand("Component", {
    kind: "Component",
    metadata: {
      name: summary.metadata.name === "" ? key : summary.metadata.name,
      labels: summary.metadata.labels ?? {},
      annotations: summary.metadata.annotations ?? {},
    },
    resources: mapValues(summary.resources, (d) => resourceDef(d.metadata)),
    traits: mapValues(summary.traits, traitDef),
    blueprints: mapValues(summary.blueprints, blueprintDef),
    spec: summary.spec ?? {},
  });
}

export function policyFromSummary(summary: PolicySummary): Policy {
  const rules = mapValues(summary.rules, (d): PolicyRuleDef => {
    const metadata = definitionMetadata(d.metadata);
    return brand("PolicyRule", {
      kind: "PolicyRule",
      metadata,
      specKey: specKeyOf(metadata.name),
      enforcement: d.enforcement ?? { mode: "deployment", onViolation: "block" },
    });
  });
  return brand("Policy", {
    kind: "Policy",
    metadata: summary.metadata,
    rules,
    appliesTo: summary.appliesTo,
    spec: summary.spec ?? {},
  });
}
