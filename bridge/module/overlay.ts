// The loader's overlay: one extra file in the module's own package (never written to disk)
// declaring `#opmSummary`, the module reduced to plain data (metadata, components with their
// definitions as FQN-keyed metadata, policies), so one export reads the whole module.
// Definitions are exempt from the closedness of `core.#Module`, hence the `#`.

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
