// The catalog as the generator sees it: every resource, trait, blueprint and policy rule with
// its metadata, spec key, JSON Schema of its spec and `#defaults`, read from the CUE by
// extract.ts and turned into TypeScript by emit.ts. Plain JSON, sorted, so it diffs well.

export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

export type DefinitionKind = "Resource" | "Trait" | "Blueprint" | "PolicyRule";

export interface DefinitionDescription {
  readonly kind: DefinitionKind;
  /** The CUE definition, e.g. `#ContainerResource`. */
  readonly cueName: string;
  /** The component (or policy) mixin, e.g. `#Container`; the TS builder takes its name. */
  readonly mixin: string;
  readonly metadata: {
    readonly apiVersion: string;
    readonly name: string;
    readonly fqn: string;
    readonly description?: string;
    readonly labels?: Readonly<Record<string, string | number | boolean>>;
    readonly annotations?: Readonly<Record<string, string | number | boolean>>;
  };
  readonly specKey: string;
  /** JSON Schema (2020-12) of the value under the spec key. */
  readonly specSchema: JsonSchema;
  readonly defaults?: unknown;
  /** Traits: FQNs of the resources they apply to. */
  readonly appliesTo?: readonly string[];
  /** Blueprints: FQNs of what they compose. */
  readonly composedResources?: readonly string[];
  readonly composedTraits?: readonly string[];
  /**
   * Pass-through blueprints: what the CUE mixin puts in the component spec when the blueprint
   * spec leaves a field unset (the composed traits' defaults), keyed by spec key.
   */
  readonly expansionDefaults?: Readonly<Record<string, unknown>>;
  /** Policy rules. */
  readonly enforcement?: { readonly mode: string; readonly onViolation: string };
  /** Concrete annotations the mixin adds to the component (e.g. list-output). */
  readonly mixinAnnotations?: Readonly<Record<string, string | number | boolean>>;
}

export interface PackageDescription {
  /** CUE import path, e.g. `opmodel.dev/traits/workload@v0`. */
  readonly importPath: string;
  /** The generated file's base name, e.g. `traits-workload`. */
  readonly file: string;
  readonly definitions: readonly DefinitionDescription[];
}

export interface CatalogDescription {
  /** Bump when the description's shape changes. */
  readonly format: 1;
  readonly packages: readonly PackageDescription[];
}

/** The CUE packages the TS bindings are generated for, in output order. */
export const CATALOG_PACKAGES: readonly { readonly module: string; readonly importPath: string }[] = [
  { module: "resources", importPath: "opmodel.dev/resources/workload@v0" },
  { module: "resources", importPath: "opmodel.dev/resources/storage@v0" },
  { module: "resources", importPath: "opmodel.dev/resources/config@v0" },
  { module: "resources", importPath: "opmodel.dev/resources/security@v0" },
  { module: "resources", importPath: "opmodel.dev/resources/extension@v0" },
  { module: "traits", importPath: "opmodel.dev/traits/workload@v0" },
  { module: "traits", importPath: "opmodel.dev/traits/network@v0" },
  { module: "traits", importPath: "opmodel.dev/traits/security@v0" },
  { module: "traits", importPath: "opmodel.dev/traits/extension@v0" },
  { module: "blueprints", importPath: "opmodel.dev/blueprints/core@v0" },
  { module: "blueprints", importPath: "opmodel.dev/blueprints/data@v0" },
  { module: "policies", importPath: "opmodel.dev/policies/connectivity@v0" },
  { module: "policies", importPath: "opmodel.dev/policies/workload@v0" },
];

/** The CUE modules of the catalog (directories under catalog/cue), all loaded together. */
export const CATALOG_MODULES = [
  "core",
  "schemas",
  "resources",
  "traits",
  "blueprints",
  "policies",
  "interfaces",
] as const;

/** `opmodel.dev/traits/workload@v0` → `traits-workload`. */
export function fileNameOf(importPath: string): string {
  return importPath
    .replace(/^opmodel\.dev\//, "")
    .replace(/@v\d+$/, "")
    .replaceAll("/", "-");
}
