// Emits the TS bindings of the catalog from its description: per CUE package one file with, for
// each definition, the spec type, its zod schema, `#defaults`, the definition (metadata, spec
// key, appliesTo/composition) and a builder named after the CUE mixin. ts-morph builds the
// source; prettier (the repository's settings) formats it, so output is byte-stable.
import { Project, VariableDeclarationKind, type SourceFile } from "ts-morph";
import type { CatalogDescription, DefinitionDescription, PackageDescription } from "./description.ts";
import { fingerprint } from "./fingerprint.ts";
import { SchemaConverter, refsOf, type Converted } from "./json-schema.ts";

/** Formats TypeScript text; injected so tests and the CLI share the repository's settings. */
export type Formatter = (source: string, fileName: string) => Promise<string>;

const DEFINE = {
  Resource: "defineResource",
  Trait: "defineTrait",
  Blueprint: "defineBlueprint",
  PolicyRule: "definePolicyRule",
} as const;

function lowerFirst(s: string): string {
  return s.length === 0 ? s : s[0]!.toLowerCase() + s.slice(1);
}

/** `#ContainerResource` → `ContainerResource`; `#Container` → `Container`. */
function tsName(cueName: string): string {
  return cueName.replace(/^#/, "");
}

/** Where each definition is emitted, to import it across files by FQN. */
export interface SymbolLocation {
  /** The generated file's base name (imported as `./<file>.ts` from its siblings). */
  readonly file: string;
  readonly name: string;
  /** A package to import it from instead, e.g. `@opm/sdk/catalog` for user bindings. */
  readonly module?: string;
}

/** The dsl source files generated code imports from. */
export type DslFile = "definitions" | "parts" | "key-named";

/** Module specifier of a dsl file: relative for the catalog (inside this repository). */
export type DslImport = (file: DslFile) => string;

const CATALOG_DSL_IMPORT: DslImport = (file) => `../../dsl/${file}.ts`;

export function symbolTable(catalog: CatalogDescription): Map<string, SymbolLocation> {
  const table = new Map<string, SymbolLocation>();
  for (const pkg of catalog.packages) {
    for (const def of pkg.definitions)
      table.set(def.metadata.fqn, { file: pkg.file, name: tsName(def.cueName) });
  }
  return table;
}

/** The generated file holding the `$defs` shared by the catalog's specs (mostly from `opmodel.dev/schemas@v0`). */
export const SCHEMAS_FILE = "schemas";

/** How a schema constant is typed by its named type (see emitSchemaPair). */
const SCHEMA_CAST = " as unknown as z.ZodType<";

/** One `$defs` entry: its schema, and how its own `$ref`s resolve (ref → TS name). */
interface DefEntry {
  readonly schema: unknown;
  readonly refs: ReadonlyMap<string, string>;
}

/**
 * Where a `$defs` entry is already emitted, given its name and JSON text: in the catalog,
 * schemas.ts; for a user package, `@opm/sdk/catalog`. `undefined` means emit it locally.
 */
export type SharedSchemas = (name: string, text: string) => SymbolLocation | undefined;

function defName(key: string): string {
  return key[0]!.toUpperCase() + key.slice(1);
}

function defsOf(def: DefinitionDescription): Record<string, unknown> {
  const defs = typeof def.specSchema === "object" ? def.specSchema["$defs"] : undefined;
  return (defs ?? {}) as Record<string, unknown>;
}

/**
 * Drops the candidates that reference a `$defs` entry outside the set: one with the same name
 * and text could still mean something else if what it references differs.
 */
function closeUnderRefs(candidates: Set<string>, refsOfName: (name: string) => Iterable<string>): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const name of candidates) {
      if ([...refsOfName(name)].some((ref) => !candidates.has(ref))) {
        candidates.delete(name);
        changed = true;
      }
    }
  }
}

/** Depth-first so each entry is declared after the ones it references (among `entries`). */
function declarationOrder(entries: ReadonlyMap<string, DefEntry>): [string, DefEntry][] {
  const order: [string, DefEntry][] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    const entry = entries.get(name);
    if (entry === undefined || seen.has(name)) return;
    seen.add(name);
    for (const ref of [...refsOf(entry.schema)].sort()) {
      const target = entry.refs.get(ref);
      if (target !== undefined) visit(target);
    }
    order.push([name, entry]);
  };
  for (const name of [...entries.keys()].sort()) visit(name);
  return order;
}

/**
 * The `$defs` that have one name and one text across the whole catalog (and reference only such
 * entries): each is emitted once, in schemas.ts, and imported by the package files. CUE puts a
 * copy of every definition a spec references into that spec's `$defs`, so without this the
 * container spec alone would be emitted (and built by zod) once per package using it.
 */
export function sharedDefs(catalog: CatalogDescription): Map<string, DefEntry & { readonly text: string }> {
  const texts = new Map<string, Set<string>>();
  const entries = new Map<string, { schema: unknown; text: string; refs: Map<string, string> }>();
  for (const def of catalog.packages.flatMap((p) => p.definitions)) {
    const defs = defsOf(def);
    for (const [key, schema] of Object.entries(defs)) {
      const name = defName(key);
      const text = JSON.stringify(schema);
      texts.set(name, (texts.get(name) ?? new Set()).add(text));
      const refs = new Map(Object.keys(defs).map((k) => [`#/$defs/${k}`, defName(k)]));
      if (!entries.has(name)) entries.set(name, { schema, text, refs });
    }
  }
  const candidates = new Set([...texts].filter(([, t]) => t.size === 1).map(([name]) => name));
  closeUnderRefs(candidates, (name) => {
    const entry = entries.get(name)!;
    return [...refsOf(entry.schema)].map((ref) => entry.refs.get(ref) ?? ref);
  });
  return new Map([...entries].filter(([name]) => candidates.has(name)).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Collects the `$defs` of a package's schemas under unique names, in dependency order, leaving
 * out those `shared` says are emitted elsewhere (returned in `imported`, to import them).
 */
function collectDefs(
  pkg: PackageDescription,
  shared: SharedSchemas,
): {
  names: Map<string, Map<string, string>>;
  order: [string, DefEntry][];
  imported: Map<string, SymbolLocation>;
} {
  const byName = new Map<string, string>(); // unique name -> JSON text
  const names = new Map<string, Map<string, string>>(); // definition -> (ref -> unique name)
  const schemas = new Map<string, DefEntry>();
  const imported = new Map<string, SymbolLocation>();
  for (const def of pkg.definitions) {
    const defs = defsOf(def);
    // Shared only if everything it references is shared too (see closeUnderRefs).
    const external = new Map<string, SymbolLocation>();
    for (const [key, schema] of Object.entries(defs)) {
      const location = shared(defName(key), JSON.stringify(schema));
      if (location !== undefined) external.set(`#/$defs/${key}`, location);
    }
    const keep = new Set(external.keys());
    closeUnderRefs(keep, (ref) => refsOf(defs[ref.slice("#/$defs/".length)]));
    const local = new Map<string, string>();
    for (const [key, schema] of Object.entries(defs)) {
      const ref = `#/$defs/${key}`;
      if (keep.has(ref)) {
        const location = external.get(ref)!;
        local.set(ref, location.name);
        imported.set(location.name, location);
        continue;
      }
      const text = JSON.stringify(schema);
      let unique = defName(key);
      if ((byName.has(unique) && byName.get(unique) !== text) || imported.has(unique))
        unique = `${tsName(def.cueName)}${unique}`;
      byName.set(unique, text);
      local.set(ref, unique);
      schemas.set(unique, { schema, refs: local });
    }
    names.set(def.cueName, local);
  }
  return { names, order: declarationOrder(schemas), imported };
}

function converterFor(
  refs: ReadonlyMap<string, string>,
  where: string,
  onUse: (name: string) => void = () => {},
): SchemaConverter {
  return new SchemaConverter({
    refName(ref) {
      const name = refs.get(ref);
      if (name === undefined) throw new Error(`${where}: unknown $ref ${ref}`);
      onUse(name);
      return { type: name, zod: lowerFirst(name) };
    },
  });
}

function withoutDefs(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null) return schema;
  const { $defs: _defs, $schema: _schema, ...rest } = schema as Record<string, unknown>;
  return rest;
}

function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

export class FileEmitter {
  private readonly imports = new Map<string, Set<string>>();
  private readonly file: SourceFile;
  private readonly pkg: PackageDescription;
  private readonly symbols: ReadonlyMap<string, SymbolLocation>;
  private readonly dsl: DslImport;
  private readonly shared: SharedSchemas;
  /** The `$defs` emitted elsewhere, imported when referenced. */
  private imported = new Map<string, SymbolLocation>();

  constructor(
    file: SourceFile,
    pkg: PackageDescription,
    symbols: ReadonlyMap<string, SymbolLocation>,
    dsl: DslImport = CATALOG_DSL_IMPORT,
    shared: SharedSchemas = () => undefined,
  ) {
    this.file = file;
    this.pkg = pkg;
    this.symbols = symbols;
    this.dsl = dsl;
    this.shared = shared;
  }

  private importFrom(symbol: SymbolLocation, name: string): void {
    if (symbol.module !== undefined) this.use(symbol.module, name);
    else if (symbol.file !== this.pkg.file) this.use(`./${symbol.file}.ts`, name);
  }

  /** Imports a referenced `$defs` entry (its type and zod schema) when it is emitted elsewhere. */
  private readonly useDef = (name: string): void => {
    const symbol = this.imported.get(name);
    if (symbol === undefined) return;
    this.importFrom(symbol, `type ${name}`);
    this.importFrom(symbol, lowerFirst(name));
  };

  private use(module: string, name: string): void {
    const set = this.imports.get(module) ?? new Set<string>();
    set.add(name);
    this.imports.set(module, set);
  }

  private ref(fqn: string): string {
    const symbol = this.symbols.get(fqn);
    if (symbol === undefined) throw new Error(`${this.pkg.importPath}: ${fqn} is not in the catalog`);
    this.importFrom(symbol, symbol.name);
    return symbol.name;
  }

  emit(): void {
    const { names, order, imported } = collectDefs(this.pkg, this.shared);
    this.imported = imported;
    this.emitDefs(order);
    for (const def of this.pkg.definitions) this.emitDefinition(def, names.get(def.cueName) ?? new Map());
    this.emitImports();
  }

  /** Emits only the given `$defs` entries: schemas.ts, the catalog's shared schemas. */
  emitSharedDefs(entries: ReadonlyMap<string, DefEntry>): void {
    this.emitDefs(declarationOrder(entries));
    this.emitImports();
  }

  private emitDefs(order: readonly [string, DefEntry][]): void {
    const converted = order.map(([name, { schema, refs }]) => {
      const where = `${this.pkg.importPath} $defs.${name}`;
      return { name, schema, converted: converterFor(refs, where, this.useDef).convert(schema, name) };
    });
    // Schemas others `.extend()` keep their inferred ZodObject type; see emitSchemaPair.
    const extended = new Set(
      converted.flatMap((c) => [...c.converted.zod.matchAll(/(\w+)\.extend\(/g)].map((m) => m[1]!)),
    );
    for (const { name, schema, converted: pair } of converted) {
      // The CUE definition's doc comment: the hover text wherever the type is used.
      const described = schema as { readonly description?: unknown } | null;
      const doc = typeof described?.description === "string" ? described.description : undefined;
      this.emitSchemaPair(name, lowerFirst(name), pair, doc, !extended.has(lowerFirst(name)));
    }
  }

  private emitSchemaPair(
    typeName: string,
    zodName: string,
    converted: Converted,
    doc: string | undefined,
    annotated = true,
  ): void {
    if (/KeyNamed</.test(converted.ts)) this.use(this.dsl("key-named"), "type KeyNamed");
    if (/keyNamed\(/.test(converted.zod)) this.use(this.dsl("key-named"), "keyNamed");
    this.file.addTypeAlias({
      name: typeName,
      isExported: true,
      type: converted.ts,
      // A definition without a doc comment in CUE still says what it is.
      docs: [doc ?? `The TypeScript type of the catalog's CUE definition \`#${typeName}\`.`],
    });
    this.file.addVariableStatement({
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: [`The zod schema of {@link ${typeName}}: validates values of it at run time.`],
      // Typed by its named type: left inferred, every declaration file would spell out
      // the whole zod type of each schema it uses (containers inside workloads inside
      // blueprints), hundreds of kilobytes that slow every type check of a user's module.
      // A cast, not an annotation: zod's output spells optional fields `?: T | undefined` and
      // excluded ones `?: undefined`, which exactOptionalPropertyTypes keeps apart from the
      // type's `?: T` and `?: never`; both are generated from one JSON Schema.
      declarations: [
        {
          name: zodName,
          initializer: annotated ? `${converted.zod}${SCHEMA_CAST}${typeName}>` : converted.zod,
        },
      ],
    });
  }

  private emitDefinition(def: DefinitionDescription, refs: Map<string, string>): void {
    const name = tsName(def.cueName);
    const builder = tsName(def.mixin);
    const specType = `${builder}Spec`;
    const specZod = `${lowerFirst(builder)}SpecSchema`;
    const converted = converterFor(refs, `${this.pkg.importPath} ${def.cueName}`, this.useDef).convert(
      withoutDefs(def.specSchema),
      `${def.cueName}.#spec.${def.specKey}`,
    );
    this.emitSchemaPair(
      specType,
      specZod,
      converted,
      `The spec of ${def.metadata.fqn} (\`spec.${def.specKey}\`).`,
    );

    const defaultsName = `${lowerFirst(builder)}Defaults`;
    if (def.defaults !== undefined) {
      this.file.addVariableStatement({
        declarationKind: VariableDeclarationKind.Const,
        isExported: true,
        docs: [`\`#defaults\` of ${def.metadata.fqn}.`],
        declarations: [{ name: defaultsName, initializer: `${jsonText(def.defaults)} as const` }],
      });
    }

    // The FQN is computed by the define* builder, as CUE computes it; the test checks they agree.
    const { fqn: _fqn, ...metadata } = def.metadata;
    const fields: string[] = [`metadata: ${jsonText(metadata)}`, `schema: ${specZod}`];
    if (def.defaults !== undefined) fields.push(`defaults: ${defaultsName} as ${specType}`);
    if (def.appliesTo !== undefined)
      fields.push(`appliesTo: [${def.appliesTo.map((f) => this.ref(f)).join(", ")}]`);
    if (def.composedResources !== undefined) {
      fields.push(`composedResources: [${def.composedResources.map((f) => this.ref(f)).join(", ")}]`);
    }
    if (def.composedTraits !== undefined) {
      fields.push(`composedTraits: [${def.composedTraits.map((f) => this.ref(f)).join(", ")}]`);
    }
    if (def.expansionDefaults !== undefined)
      fields.push(`expansionDefaults: ${jsonText(def.expansionDefaults)}`);
    if (def.enforcement !== undefined) fields.push(`enforcement: ${jsonText(def.enforcement)}`);
    this.use(this.dsl("definitions"), DEFINE[def.kind]);
    this.file.addVariableStatement({
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: [def.metadata.description ?? def.metadata.fqn],
      declarations: [
        {
          name,
          initializer: `${DEFINE[def.kind]}<${JSON.stringify(def.metadata.name)}, ${specType}>({\n${fields.join(",\n")}\n})`,
        },
      ],
    });

    if (def.kind === "PolicyRule") return;
    this.use(this.dsl("parts"), "partBuilder");
    const extras =
      def.mixinAnnotations === undefined ? "" : `, { annotations: ${jsonText(def.mixinAnnotations)} }`;
    this.file.addVariableStatement({
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: [
        `Adds ${def.metadata.fqn} to a component with its spec (\`spec.${def.specKey}\`), like the CUE mixin \`${def.mixin}\`.`,
      ],
      declarations: [{ name: builder, initializer: `partBuilder(${name}${extras})` }],
    });
  }

  private emitImports(): void {
    const modules = [...this.imports.keys()].sort();
    for (const module of modules.reverse()) {
      const names = [...this.imports.get(module)!].sort((a, b) =>
        a.replace(/^type /, "") < b.replace(/^type /, "") ? -1 : 1,
      );
      this.file.insertImportDeclaration(0, {
        moduleSpecifier: module,
        namedImports: names.map((n) =>
          n.startsWith("type ") ? { name: n.slice(5), isTypeOnly: true } : { name: n },
        ),
      });
    }
    // A file whose specs are all shared schemas builds nothing with zod itself; one that only
    // names zod's types (the casts of emitSchemaPair) imports them as types.
    const text = this.file.getFullText();
    if (/\bz\./.test(text))
      this.file.insertImportDeclaration(0, {
        moduleSpecifier: "zod",
        namedImports: ["z"],
        isTypeOnly: !/\bz\./.test(text.replaceAll(SCHEMA_CAST, "")),
      });
  }
}

function header(pkg: PackageDescription): string {
  return (
    `// Generated by bridge/codegen from the CUE package ${pkg.importPath} (catalog/cue).\n` +
    `// Do not edit: change the CUE and run \`npm run gen:catalog\`.\n`
  );
}

const SCHEMAS_HEADER =
  `// Generated by bridge/codegen from the catalog (catalog/cue): the schemas its specs share,\n` +
  `// mostly the definitions of opmodel.dev/schemas@v0, each emitted once and imported by the\n` +
  `// package files. Do not edit: change the CUE and run \`npm run gen:catalog\`.\n`;

/** Generates every file of catalog/generated, keyed by file name. */
export async function emitCatalog(
  catalog: CatalogDescription,
  format: Formatter,
): Promise<Map<string, string>> {
  const project = new Project({ useInMemoryFileSystem: true });
  const symbols = symbolTable(catalog);
  const out = new Map<string, string>();
  const defs = sharedDefs(catalog);
  const schemasPkg: PackageDescription = {
    importPath: "(shared $defs)",
    file: SCHEMAS_FILE,
    definitions: [],
  };
  const schemasFile = project.createSourceFile(`${SCHEMAS_FILE}.ts`, "", { overwrite: true });
  new FileEmitter(schemasFile, schemasPkg, symbols).emitSharedDefs(defs);
  out.set(
    `${SCHEMAS_FILE}.ts`,
    await format(SCHEMAS_HEADER + schemasFile.getFullText(), `${SCHEMAS_FILE}.ts`),
  );
  const shared: SharedSchemas = (name, text) =>
    defs.get(name)?.text === text ? { file: SCHEMAS_FILE, name } : undefined;
  for (const pkg of catalog.packages) {
    const fileName = `${pkg.file}.ts`;
    const file = project.createSourceFile(fileName, "", { overwrite: true });
    new FileEmitter(file, pkg, symbols, CATALOG_DSL_IMPORT, shared).emit();
    out.set(fileName, await format(header(pkg) + file.getFullText(), fileName));
  }
  out.set("catalog.json", await format(`${JSON.stringify(catalog, null, 2)}\n`, "catalog.json"));
  return out;
}

/**
 * bridge/codegen/catalog-schemas.ts: the fingerprint of each schema in schemas.ts, for user
 * packages (user-package.ts) to import those from `@opm/sdk/catalog` instead of emitting them.
 */
export async function emitCatalogSchemaTable(
  catalog: CatalogDescription,
  format: Formatter,
): Promise<string> {
  const entries = [...sharedDefs(catalog)].map(
    ([name, { text }]) => `[${JSON.stringify(name)}, ${JSON.stringify(fingerprint(text))}]`,
  );
  const text =
    `// Generated by bridge/codegen (\`npm run gen:catalog\`) from the catalog's shared schemas\n` +
    `// (catalog/generated/schemas.ts, exported by \`@opm/sdk/catalog\`). Do not edit.\n\n` +
    `/** Name of each shared catalog schema → fingerprint of its JSON Schema text. */\n` +
    `export const CATALOG_SCHEMAS: ReadonlyMap<string, string> = new Map([\n${entries.join(",\n")}\n]);\n`;
  return format(text, "catalog-schemas.ts");
}
