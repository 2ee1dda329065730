// Reads the catalog through the CUE engine: loads every catalog module at once, walks each
// package's definitions with `fields`, and asks for metadata and `#defaults` with `export` and
// for the spec's JSON Schema with `toJSONSchema`.
//
// The catalog modules import each other (`opmodel.dev/core@v0`, ...). Rather than publishing
// them to a registry first, the generator loads a synthetic root module whose `cue.mod/pkg/`
// holds every catalog module (CUE's vendoring layout), all passed as an overlay: no registry,
// no network, no files written.
import type { CueEngine } from "../engine.ts";
import type { JsonValue } from "../protocol.ts";
import type { CueValue } from "../value.ts";
import {
  CATALOG_MODULES,
  CATALOG_PACKAGES,
  fileNameOf,
  type CatalogDescription,
  type DefinitionDescription,
  type DefinitionKind,
  type JsonSchema,
  type PackageDescription,
} from "./description.ts";

/** One catalog source file: its path relative to `catalog/cue` and its text. */
export interface CatalogSourceFile {
  readonly path: string;
  readonly content: string;
}

/** The overlay root; virtual, never touched on disk. */
export const OVERLAY_ROOT = "/opm-codegen/catalog";

const KIND_SUFFIXES: readonly DefinitionKind[] = ["PolicyRule", "Resource", "Trait", "Blueprint"];

/**
 * Builds the overlay: every module under cue.mod/pkg/opmodel.dev/, plus the root package (by
 * default one importing every catalog package under `packages`; tests pass their own).
 */
export function catalogOverlay(
  files: readonly CatalogSourceFile[],
  rootFiles?: Readonly<Record<string, string>>,
): Record<string, string> {
  const overlay: Record<string, string> = {
    [`${OVERLAY_ROOT}/cue.mod/module.cue`]: 'module: "opm.local/codegen@v0"\nlanguage: version: "v0.15.0"\n',
  };
  for (const file of files) {
    const [module, ...rest] = file.path.split("/");
    if (module === undefined || !(CATALOG_MODULES as readonly string[]).includes(module)) continue;
    if (rest[0] === "cue.mod" || !file.path.endsWith(".cue")) continue;
    overlay[`${OVERLAY_ROOT}/cue.mod/pkg/opmodel.dev/${module}/${rest.join("/")}`] = file.content;
  }
  if (rootFiles !== undefined) {
    for (const [name, content] of Object.entries(rootFiles)) overlay[`${OVERLAY_ROOT}/${name}`] = content;
    return overlay;
  }
  const imports = CATALOG_PACKAGES.map((p, i) => `\tp${i} "${p.importPath}"`).join("\n");
  const fields = CATALOG_PACKAGES.map((p, i) => `\t"${p.importPath}": p${i}`).join("\n");
  overlay[`${OVERLAY_ROOT}/codegen.cue`] =
    `package codegen\n\nimport (\n${imports}\n)\n\npackages: {\n${fields}\n}\n`;
  return overlay;
}

/** The kind a definition's name ends in (`#ScalingTrait` → Trait); the upstream naming rule. */
export function kindOf(cueName: string): DefinitionKind | undefined {
  return KIND_SUFFIXES.find((suffix) => cueName.endsWith(suffix) && cueName.length > suffix.length + 1);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Sorts object keys recursively so the description is byte-stable. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sorted(value[k])]),
  );
}

/** A smallest value satisfying a schema's required fields, to make a blueprint mixin concrete. */
function minimalInstance(schema: unknown, defs: Record<string, unknown>): unknown {
  if (!isRecord(schema)) return {};
  if (typeof schema["$ref"] === "string")
    return minimalInstance(defs[schema["$ref"].split("/").pop()!], defs);
  if (Array.isArray(schema["enum"])) return schema["enum"][0];
  if (Array.isArray(schema["anyOf"])) return minimalInstance(schema["anyOf"][0], defs);
  if (Array.isArray(schema["allOf"])) {
    const typed = (schema["allOf"] as unknown[]).find((m) => isRecord(m) && m["type"] === "integer");
    return minimalInstance(typed ?? schema["allOf"][0], defs);
  }
  switch (schema["type"]) {
    case "string":
      return "x";
    case "integer":
    case "number":
      return typeof schema["minimum"] === "number" ? schema["minimum"] : 1;
    case "boolean":
      return false;
    case "array":
      return [];
    default: {
      const properties = isRecord(schema["properties"]) ? schema["properties"] : {};
      const required = Array.isArray(schema["required"]) ? (schema["required"] as string[]) : [];
      const base =
        typeof schema["$ref"] === "string" ? (minimalInstance({ $ref: schema["$ref"] }, defs) as object) : {};
      return {
        ...base,
        ...Object.fromEntries(required.map((key) => [key, minimalInstance(properties[key], defs)])),
      };
    }
  }
}

/** The properties of an object schema, including those of a `$ref` it embeds. */
function propertiesOf(schema: unknown, defs: Record<string, unknown>): Record<string, unknown> {
  if (!isRecord(schema)) return {};
  const own = isRecord(schema["properties"]) ? schema["properties"] : {};
  const ref = schema["$ref"];
  return typeof ref === "string" ? { ...propertiesOf(defs[ref.split("/").pop()!], defs), ...own } : own;
}

/** `pkgPath.rest`, or `rest` alone when the definitions sit at the root of the value. */
function under(pkgPath: string, rest: string): string {
  return pkgPath === "" ? rest : `${pkgPath}.${rest}`;
}

export class Reader {
  private readonly engine: CueEngine;
  private readonly root: CueValue;
  /** The kind of every definition referenced by appliesTo/composition, by FQN. */
  readonly referencedKinds = new Map<string, DefinitionKind>();

  constructor(engine: CueEngine, root: CueValue) {
    this.engine = engine;
    this.root = root;
  }

  exportAt(path: string): Promise<JsonValue> {
    return this.engine.export(this.root, { path });
  }

  async exportIfConcrete(path: string): Promise<JsonValue | undefined> {
    const found = await this.engine.lookup(this.root, path);
    if (found === undefined) return undefined;
    await found.release();
    try {
      return await this.engine.export(this.root, { path });
    } catch {
      // Not concrete (e.g. a mixin's required label): nothing the bindings can carry.
      return undefined;
    }
  }

  async fqnsAt(path: string): Promise<string[] | undefined> {
    const value = await this.exportIfConcrete(path);
    if (!Array.isArray(value)) return undefined;
    return value.map((def) => {
      const fqn = isRecord(def) && isRecord(def["metadata"]) ? def["metadata"]["fqn"] : undefined;
      if (typeof fqn !== "string") throw new Error(`${path}: an entry has no metadata.fqn`);
      const kind = isRecord(def) ? def["kind"] : undefined;
      if (typeof kind === "string") this.referencedKinds.set(fqn, kind as DefinitionKind);
      return fqn;
    });
  }

  /**
   * For a blueprint whose spec passes fields straight to its composed definitions: fills the
   * mixin with the smallest valid blueprint spec and reads back the component spec, keeping
   * what the blueprint adds on its own (trait defaults). Blueprints that compute their
   * primitives (SimpleDatabase) are left to a hand-written expansion.
   */
  private async expansionDefaults(
    pkgPath: string,
    mixin: string,
    specKey: string,
    specSchema: JsonSchema,
    composed: readonly string[],
  ): Promise<Record<string, unknown> | undefined> {
    if (!isRecord(specSchema)) return undefined;
    const defs = isRecord(specSchema["$defs"]) ? specSchema["$defs"] : {};
    const ref = specSchema["$ref"];
    const shape = typeof ref === "string" ? defs[ref.split("/").pop()!] : specSchema;
    const properties = propertiesOf(shape, defs);
    const composedKeys = composed.map((fqn) => {
      const pascal = fqn.slice(fqn.indexOf("#") + 1);
      return pascal[0]!.toLowerCase() + pascal.slice(1);
    });
    if (!composedKeys.every((key) => key in properties)) return undefined;
    const minimal = minimalInstance(shape, defs) as Record<string, unknown>;
    const filled = await this.engine.fill(this.root, under(pkgPath, `${mixin}.spec."${specKey}"`), {
      json: minimal as JsonValue,
    });
    try {
      const spec = (await this.engine.export(filled, { path: under(pkgPath, `${mixin}.spec`) })) as Record<
        string,
        unknown
      >;
      return Object.fromEntries(
        Object.entries(spec).filter(
          ([key]) => key !== specKey && !(key in minimal) && composedKeys.includes(key),
        ),
      );
    } finally {
      await filled.release();
    }
  }

  async describe(pkgPath: string, cueName: string, kind: DefinitionKind): Promise<DefinitionDescription> {
    const at = under(pkgPath, cueName);
    const metadata = (await this.exportAt(`${at}.metadata`)) as DefinitionDescription["metadata"];
    const specFields = await this.engine.fields(this.root, { path: `${at}.#spec`, hidden: false });
    const specKey = specFields.find((f) => !f.definition)?.name;
    if (specKey === undefined) throw new Error(`${at}.#spec has no spec key`);
    const specSchema = (await this.engine.toJSONSchema(this.root, {
      path: `${at}.#spec."${specKey}"`,
    })) as JsonSchema;
    const mixin = `#${cueName.slice(1, -kind.length)}`;
    const defaults = await this.exportIfConcrete(`${at}.#defaults`);
    const mixinAnnotations = await this.exportIfConcrete(under(pkgPath, `${mixin}.metadata.annotations`));
    const appliesTo = kind === "Trait" ? await this.fqnsAt(`${at}.appliesTo`) : undefined;
    const composedResources = kind === "Blueprint" ? await this.fqnsAt(`${at}.composedResources`) : undefined;
    const composedTraits = kind === "Blueprint" ? await this.fqnsAt(`${at}.composedTraits`) : undefined;
    const expansionDefaults =
      kind === "Blueprint"
        ? await this.expansionDefaults(pkgPath, mixin, specKey, specSchema, [
            ...(composedResources ?? []),
            ...(composedTraits ?? []),
          ])
        : undefined;
    const enforcement =
      kind === "PolicyRule"
        ? ((await this.exportAt(`${at}.enforcement`)) as DefinitionDescription["enforcement"])
        : undefined;
    return sorted({
      kind,
      cueName,
      mixin,
      metadata,
      specKey,
      specSchema,
      ...(defaults === undefined ? {} : { defaults }),
      ...(appliesTo === undefined ? {} : { appliesTo }),
      ...(composedResources === undefined ? {} : { composedResources }),
      ...(composedTraits === undefined ? {} : { composedTraits }),
      ...(enforcement === undefined ? {} : { enforcement }),
      ...(expansionDefaults === undefined ? {} : { expansionDefaults }),
      ...(isRecord(mixinAnnotations) && Object.keys(mixinAnnotations).length > 0 ? { mixinAnnotations } : {}),
    }) as DefinitionDescription;
  }
}

/** Describes the whole catalog. The engine stays open; the caller closes it. */
export async function extractCatalog(
  engine: CueEngine,
  files: readonly CatalogSourceFile[],
): Promise<CatalogDescription> {
  const instance = await engine.load({ dir: OVERLAY_ROOT, overlay: catalogOverlay(files) });
  const reader = new Reader(engine, instance.value);
  const packages: PackageDescription[] = [];
  try {
    for (const { importPath } of CATALOG_PACKAGES) {
      const pkgPath = `packages."${importPath}"`;
      const fields = await engine.fields(instance.value, { path: pkgPath });
      const definitions: DefinitionDescription[] = [];
      for (const field of [...fields].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const kind = field.definition ? kindOf(field.name) : undefined;
        if (kind !== undefined) definitions.push(await reader.describe(pkgPath, field.name, kind));
      }
      packages.push({ importPath, file: fileNameOf(importPath), definitions });
    }
  } finally {
    await instance.value.release();
  }
  return { format: 1, packages };
}
