// CUE to TS for any CUE package of OPM definitions, not only the catalog: a team's own traits
// and resources (importing `opmodel.dev/core@v0`, ...) become one TS file with the same kinds
// of output as catalog/generated (spec types, zod schemas, `#defaults`, definition objects and
// builders for `component(...)`). The generated code imports the dsl and the catalog by package
// name, so it compiles in the user's project rather than inside this repository.
//
// The package is loaded as it is (its own cue.mod resolves its imports, through `registry` or
// the module cache); its definitions sit at the root of the loaded value.
import { Project } from "ts-morph";
import type { CueEngine, LoadOptions } from "../engine.ts";
import { isCueEngineError } from "../errors.ts";
import type { CueIssue, CuePosition } from "../protocol.ts";
import type { CueValue } from "../value.ts";
import type { DefinitionDescription, DefinitionKind, PackageDescription } from "./description.ts";
import { CATALOG_SCHEMAS } from "./catalog-schemas.ts";
import { FileEmitter, type SharedSchemas, type SymbolLocation } from "./emit.ts";
import { fingerprint } from "./fingerprint.ts";
import { kindOf, Reader } from "./extract.ts";
import { BindingsError, type BindingsOptions } from "./bindings-api.ts";

export { BindingsError } from "./bindings-api.ts";

const KIND_ORDER: readonly DefinitionKind[] = ["Resource", "Trait", "Blueprint", "PolicyRule"];

const CATALOG_API_PREFIX = "opmodel.dev/";

/** The catalog's exported name for a definition: `<apiVersion>#Container` + Resource. */
function catalogSymbol(fqn: string, kind: string, module: string): SymbolLocation {
  return { file: module, name: `${fqn.slice(fqn.indexOf("#") + 1)}${kind}`, module };
}

/**
 * The CUE package name, which also names the generated file: `acme.example/traits@v0:teamtraits`
 * → `teamtraits`; without a qualifier the package is named after the last path element.
 */
function packageNameOf(importPath: string): string {
  const colon = importPath.lastIndexOf(":");
  if (colon >= 0) return importPath.slice(colon + 1);
  return (
    importPath
      .replace(/@v\d+$/, "")
      .split("/")
      .pop() ?? importPath
  );
}

/**
 * A definition of a primitive kind must declare `#spec` (core makes it required). CUE would
 * report the missing required field at core's declaration, in the module cache; the user must
 * write it in their own definition, so the issue points there. The engine has no "position of
 * a value" request, so CUE itself is asked: the package is loaded once more with one extra file
 * giving the definition's `metadata.name` another value, and the conflict names the line of
 * the definition where the user wrote the name. Only on this error path.
 */
async function checkSpecDeclared(
  engine: CueEngine,
  root: CueValue,
  cueName: string,
  load: LoadOptions,
  packageName: string,
): Promise<void> {
  const spec = await engine.lookup(root, `${cueName}.#spec`);
  if (spec !== undefined) {
    const fields = await engine.fields(spec).finally(() => spec.release());
    if (fields.some((f) => !f.definition)) return;
  }
  throw new BindingsError("DefinitionWithoutSpec", `${cueName} declares no #spec`, [
    {
      path: cueName,
      message: "a resource, trait, blueprint or policy rule must declare #spec: {<specKey>: <schema>}",
      positions: await definitionPositions(engine, cueName, load, packageName),
    },
  ]);
}

const PROBE_FILE = "opm-position-probe.cue";

async function definitionPositions(
  engine: CueEngine,
  cueName: string,
  load: LoadOptions,
  packageName: string,
): Promise<CuePosition[]> {
  const probe = `package ${packageName}\n\n${cueName}: metadata: name: "opm position probe"\n`;
  const overlay = { ...load.overlay, [PROBE_FILE]: probe };
  let issues: readonly CueIssue[] = [];
  try {
    const probed = await engine.load({ ...load, overlay });
    try {
      issues = (await engine.validate(probed.value, { path: cueName, definitions: true })).issues;
    } finally {
      await probed.value.release();
    }
  } catch (error) {
    if (!isCueEngineError(error)) throw error;
    issues = error.issues;
  }
  const seen = new Set<string>();
  return issues
    .filter((issue) => issue.path === `${cueName}.metadata.name`)
    .flatMap((issue) => issue.positions)
    .filter((p) => !p.file.endsWith(PROBE_FILE))
    .filter((p) => {
      const key = `${p.file}:${p.line}:${p.column}`;
      return !seen.has(key) && seen.add(key) !== undefined;
    });
}

/**
 * Generates the TS bindings of a user CUE package: a map of file name → source (one file per
 * package, named after its import path). The engine stays open; the caller closes it.
 *
 * Example:
 *   const files = await generateBindings(engine, { dir: "./cue/traits", registry });
 *   for (const [name, text] of files) await writeFile(join("src/generated", name), text);
 */
export async function generateBindings(
  engine: CueEngine,
  options: BindingsOptions,
): Promise<Map<string, string>> {
  const load: LoadOptions = {
    dir: options.dir,
    ...(options.package === undefined ? {} : { package: options.package }),
    ...(options.overlay === undefined ? {} : { overlay: options.overlay }),
    ...(options.registry === undefined ? {} : { registry: options.registry }),
  };
  let instance;
  try {
    instance = await engine.load(load);
  } catch (error) {
    if (!isCueEngineError(error)) throw error;
    const issues =
      error.issues.length > 0 ? error.issues : [{ path: "", message: error.message, positions: [] }];
    throw new BindingsError(
      "PackageNotLoaded",
      `cannot load the CUE package at ${options.dir}`,
      issues,
      error,
    );
  }
  const root = instance.value;
  try {
    const packageName = packageNameOf(instance.importPath);
    const reader = new Reader(engine, root);
    const definitions: DefinitionDescription[] = [];
    const fields = [...(await engine.fields(root))].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const field of fields) {
      const kind = field.definition ? kindOf(field.name) : undefined;
      if (kind === undefined) continue;
      await checkSpecDeclared(engine, root, field.name, load, packageName);
      definitions.push(await reader.describe("", field.name, kind));
    }
    if (definitions.length === 0) {
      throw new BindingsError(
        "NoDefinitions",
        `${instance.importPath} has no definitions named #<Name>Resource, #<Name>Trait, #<Name>Blueprint or #<Name>PolicyRule`,
      );
    }
    // Declared before use: traits name the resources they apply to, blueprints both.
    definitions.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
    const pkg: PackageDescription = {
      importPath: instance.importPath,
      file: packageName,
      definitions,
    };
    const catalogModule = options.catalogModule ?? "@opm/sdk/catalog";
    const symbols = symbolsFor(pkg, reader.referencedKinds, catalogModule);
    // A catalog schema the package's specs reference (a container, a volume...) is imported
    // rather than emitted again, so zod builds it once: recognised by name and by its text.
    const shared: SharedSchemas = (name, text) =>
      CATALOG_SCHEMAS.get(name) === fingerprint(text)
        ? { file: catalogModule, name, module: catalogModule }
        : undefined;
    const dslModule = options.dslModule ?? "@opm/sdk/dsl";
    const project = new Project({ useInMemoryFileSystem: true });
    const fileName = `${pkg.file}.ts`;
    const file = project.createSourceFile(fileName, "", { overwrite: true });
    new FileEmitter(file, pkg, symbols, () => dslModule, shared).emit();
    const header =
      `// Generated by @opm/sdk from the CUE package ${pkg.importPath}.\n` +
      `// Do not edit: change the CUE and generate again.\n`;
    const text = header + file.getFullText();
    return new Map([[fileName, options.format === undefined ? text : await options.format(text, fileName)]]);
  } finally {
    await root.release();
  }
}

/** The package's own definitions, then the catalog definitions it references (by FQN). */
function symbolsFor(
  pkg: PackageDescription,
  referencedKinds: ReadonlyMap<string, string>,
  catalogModule: string,
): Map<string, SymbolLocation> {
  const symbols = new Map<string, SymbolLocation>();
  for (const def of pkg.definitions)
    symbols.set(def.metadata.fqn, { file: pkg.file, name: def.cueName.slice(1) });
  for (const [fqn, kind] of referencedKinds) {
    if (symbols.has(fqn)) continue;
    if (!fqn.startsWith(CATALOG_API_PREFIX)) {
      throw new BindingsError(
        "UnresolvedReference",
        `${pkg.importPath} references ${fqn}, which is neither in the package nor in the OPM catalog; generate bindings for its package and import them by hand`,
      );
    }
    symbols.set(fqn, catalogSymbol(fqn, kind, catalogModule));
  }
  return symbols;
}
