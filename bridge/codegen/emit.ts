// Emits the TS bindings of the catalog from its description: per CUE package one file with, for
// each definition, the spec type, its zod schema, `#defaults`, the definition (metadata, spec
// key, appliesTo/composition) and a builder named after the CUE mixin. ts-morph builds the
// source; prettier (the repository's settings) formats it, so output is byte-stable.
import { Project, VariableDeclarationKind, type SourceFile } from "ts-morph";
import type { CatalogDescription, DefinitionDescription, PackageDescription } from "./description.ts";
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

/** Collects the `$defs` of a package's schemas under unique names, in dependency order. */
function collectDefs(pkg: PackageDescription): {
  names: Map<string, Map<string, string>>;
  order: [string, unknown][];
} {
  const byName = new Map<string, string>(); // unique name -> JSON text
  const names = new Map<string, Map<string, string>>(); // definition -> (ref -> unique name)
  const schemas = new Map<string, unknown>();
  for (const def of pkg.definitions) {
    const local = new Map<string, string>();
    const defs = (typeof def.specSchema === "object" ? def.specSchema["$defs"] : undefined) ?? {};
    for (const [key, schema] of Object.entries(defs as Record<string, unknown>)) {
      const text = JSON.stringify(schema);
      let unique = key[0]!.toUpperCase() + key.slice(1);
      if (byName.has(unique) && byName.get(unique) !== text) unique = `${tsName(def.cueName)}${unique}`;
      byName.set(unique, text);
      local.set(`#/$defs/${key}`, unique);
      schemas.set(unique, { schema, refs: local });
    }
    names.set(def.cueName, local);
  }
  // Depth-first so each $def is declared after the ones it references.
  const order: [string, unknown][] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const entry = schemas.get(name) as { schema: unknown; refs: Map<string, string> };
    for (const ref of [...refsOf(entry.schema)].sort()) {
      const target = entry.refs.get(ref);
      if (target !== undefined) visit(target);
    }
    order.push([name, entry]);
  };
  for (const name of [...schemas.keys()].sort()) visit(name);
  return { names, order };
}

function converterFor(refs: Map<string, string>, where: string): SchemaConverter {
  return new SchemaConverter({
    refName(ref) {
      const name = refs.get(ref);
      if (name === undefined) throw new Error(`${where}: unknown $ref ${ref}`);
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

  constructor(
    file: SourceFile,
    pkg: PackageDescription,
    symbols: ReadonlyMap<string, SymbolLocation>,
    dsl: DslImport = CATALOG_DSL_IMPORT,
  ) {
    this.file = file;
    this.pkg = pkg;
    this.symbols = symbols;
    this.dsl = dsl;
  }

  private use(module: string, name: string): void {
    const set = this.imports.get(module) ?? new Set<string>();
    set.add(name);
    this.imports.set(module, set);
  }

  private ref(fqn: string): string {
    const symbol = this.symbols.get(fqn);
    if (symbol === undefined) throw new Error(`${this.pkg.importPath}: ${fqn} is not in the catalog`);
    if (symbol.module !== undefined) this.use(symbol.module, symbol.name);
    else if (symbol.file !== this.pkg.file) this.use(`./${symbol.file}.ts`, symbol.name);
    return symbol.name;
  }

  emit(): void {
    const { names, order } = collectDefs(this.pkg);
    for (const [name, entry] of order) {
      const { schema, refs } = entry as { schema: unknown; refs: Map<string, string> };
      const converted = converterFor(refs, `${this.pkg.importPath} $defs.${name}`).convert(schema, name);
      this.emitSchemaPair(name, lowerFirst(name), converted, undefined);
    }
    for (const def of this.pkg.definitions) this.emitDefinition(def, names.get(def.cueName) ?? new Map());
    this.emitImports();
  }

  private emitSchemaPair(
    typeName: string,
    zodName: string,
    converted: Converted,
    doc: string | undefined,
  ): void {
    if (/KeyNamed</.test(converted.ts)) this.use(this.dsl("key-named"), "type KeyNamed");
    if (/keyNamed\(/.test(converted.zod)) this.use(this.dsl("key-named"), "keyNamed");
    this.file.addTypeAlias({
      name: typeName,
      isExported: true,
      type: converted.ts,
      ...(doc === undefined ? {} : { docs: [doc] }),
    });
    this.file.addVariableStatement({
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      declarations: [{ name: zodName, initializer: converted.zod }],
    });
  }

  private emitDefinition(def: DefinitionDescription, refs: Map<string, string>): void {
    const name = tsName(def.cueName);
    const builder = tsName(def.mixin);
    const specType = `${builder}Spec`;
    const specZod = `${lowerFirst(builder)}SpecSchema`;
    const converted = converterFor(refs, `${this.pkg.importPath} ${def.cueName}`).convert(
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
    this.file.insertImportDeclaration(0, { moduleSpecifier: "zod", namedImports: ["z"] });
  }
}

function header(pkg: PackageDescription): string {
  return (
    `// Generated by bridge/codegen from the CUE package ${pkg.importPath} (catalog/cue).\n` +
    `// Do not edit: change the CUE and run \`npm run gen:catalog\`.\n`
  );
}

/** Generates every file of catalog/generated, keyed by file name. */
export async function emitCatalog(
  catalog: CatalogDescription,
  format: Formatter,
): Promise<Map<string, string>> {
  const project = new Project({ useInMemoryFileSystem: true });
  const symbols = symbolTable(catalog);
  const out = new Map<string, string>();
  for (const pkg of catalog.packages) {
    const fileName = `${pkg.file}.ts`;
    const file = project.createSourceFile(fileName, "", { overwrite: true });
    new FileEmitter(file, pkg, symbols).emit();
    out.set(fileName, await format(header(pkg) + file.getFullText(), fileName));
  }
  out.set("catalog.json", await format(`${JSON.stringify(catalog, null, 2)}\n`, "catalog.json"));
  return out;
}
