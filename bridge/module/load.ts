// Loads a CUE module directory (one with `cue.mod/`, importing the catalog from a registry or the
// module cache) into the sdk IR. The Module it returns renders through the same pipeline as a
// TypeScript module: sdk layers values (module `values`, `-f` files, `--set`), checks them with
// the CUE `#config` (config.ts), then the components factory fills `#config` with the checked
// values and reads every component back as plain data, or reports what is still missing.
import { brand, OpmError, type Component, type Labels, type Module, type Policy } from "../../sdk/index.ts";
import { createCueEngine } from "../create.ts";
import type { CueEngine } from "../engine.ts";
import { isCueEngineError } from "../errors.ts";
import type { CueIssue, JsonValue } from "../protocol.ts";
import type { CueValue } from "../value.ts";
import { cueConfigSchema, VALUES_FILE } from "./config.ts";
import {
  authorPositions,
  cueLabel,
  formatPosition,
  parseCuePath,
  pathBelow,
  type AuthorFileTest,
} from "./paths.ts";
import {
  OVERLAY_FILE,
  SUMMARY_PATH,
  componentFromSummary,
  overlaySource,
  packageNameOf,
  policyFromSummary,
  type ModuleSummary,
} from "./summary.ts";

export interface CueModuleOptions {
  /** The engine to load with; one is created (and closed by `close()`) when absent. */
  readonly engine?: CueEngine;
  /** CUE_REGISTRY for the module's dependencies, e.g. `opmodel.dev=127.0.0.1:5000+insecure`. */
  readonly registry?: string;
  /** CUE_CACHE_DIR for an engine created here. */
  readonly cacheDir?: string;
  /** The package name, when the directory holds several (saves one load when given). */
  readonly package?: string;
  /**
   * CUE path of the module value inside the package. @default the package itself when it has
   * `metadata` and `#components`, else its only top-level field that has both
   */
  readonly path?: string;
  /** Extra files by path (relative to dir), as the engine's load overlay. */
  readonly overlay?: Readonly<Record<string, string>>;
}

export interface LoadedCueModule {
  readonly module: Module;
  /** The engine the module's schema and components evaluate in; keep it open while rendering. */
  readonly engine: CueEngine;
  /** Releases the module's engine values, and closes the engine when this loader created it. */
  close(): Promise<void>;
}

/**
 * Loads the CUE module at `dir` into a sdk Module.
 *
 * Example:
 *   const { module, close } = await loadCueModule("./jellyfin", { registry: "opmodel.dev=localhost:5000+insecure" });
 *   try { await render({ module, provider }); } finally { await close(); }
 */
export async function loadCueModule(dir: string, options: CueModuleOptions = {}): Promise<LoadedCueModule> {
  const owned = options.engine === undefined;
  const engine =
    options.engine ??
    createCueEngine({
      ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    });
  try {
    const loaded = await loadWithOverlay(engine, dir, options);
    return {
      module: await moduleFrom(engine, loaded.value, loaded.prefix, authorFileTest(dir)),
      engine,
      close: async () => {
        await loaded.value.release().catch(() => undefined);
        if (owned) await engine.close();
      },
    };
  } catch (error) {
    if (owned) await engine.close();
    throw error;
  }
}

async function loadWithOverlay(
  engine: CueEngine,
  dir: string,
  options: CueModuleOptions,
): Promise<{ value: CueValue; prefix: string }> {
  const base = {
    dir,
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    ...(options.package === undefined ? {} : { package: options.package }),
  };
  let packageName = options.package;
  let prefix = options.path;
  if (packageName === undefined || prefix === undefined) {
    const first = await engine.load({
      ...base,
      ...(options.overlay === undefined ? {} : { overlay: options.overlay }),
    });
    try {
      packageName ??= packageNameOf(first.importPath);
      prefix ??= await findModulePath(engine, first.value);
    } finally {
      await first.value.release();
    }
  }
  const overlay = { ...options.overlay, [OVERLAY_FILE]: overlaySource(packageName, prefix) };
  const loaded = await engine.load({ ...base, overlay });
  return { value: loaded.value, prefix };
}

/** The package itself when it is the module, else its one top-level field that is. */
async function findModulePath(engine: CueEngine, root: CueValue): Promise<string> {
  const isModule = (names: readonly string[]): boolean =>
    names.includes("metadata") && names.includes("#components");
  const top = await engine.fields(root);
  if (isModule(top.map((f) => f.name))) return "";
  const candidates: string[] = [];
  for (const field of top) {
    if (field.definition || field.hidden || !field.kind.includes("struct")) continue;
    // (The engine's `hidden: false` also drops definitions, so names are filtered here.)
    const inner = await engine.fields(root, { path: field.name });
    if (isModule(inner.map((f) => f.name))) candidates.push(field.name);
  }
  if (candidates.length !== 1) {
    throw new OpmError("ComponentsUnresolved", {
      message:
        candidates.length === 0
          ? "the CUE package is not a module: it has no metadata and #components (nor does any top-level field)"
          : `the CUE package holds several modules (${candidates.join(", ")}); choose one with the path option`,
      hint: "embed core.#Module at the top of the package, as upstream modules do",
    });
  }
  return candidates[0]!;
}

function authorFileTest(dir: string): AuthorFileTest {
  const root = dir.endsWith("/") ? dir : `${dir}/`;
  return (file) =>
    file !== "fill.json" &&
    file !== VALUES_FILE &&
    !file.endsWith(OVERLAY_FILE) &&
    !file.includes("/mod/extract/") &&
    (!file.startsWith("/") || file.startsWith(root));
}

const MAX_VALUES_DEPTH = 8;

/**
 * The concrete part of the module's `values`: all of it when it exports, else the fields that
 * do (recursively). Upstream modules often write `values: #config & {...}` and leave required
 * values to the user's files; those stay out, and the `#config` check reports them if no file
 * gives them.
 */
async function concretePart(
  engine: CueEngine,
  root: CueValue,
  path: string,
  depth: number,
): Promise<JsonValue> {
  const found = await engine.lookup(root, path);
  if (found === undefined) return {};
  try {
    return await engine.export(found);
  } catch (error) {
    if (!isCueEngineError(error) || depth >= MAX_VALUES_DEPTH) return {};
    const fields = await engine
      .fields(found, { definitions: false, hidden: false, optional: false })
      .catch(() => []);
    if (fields.length === 0) return {};
    const out: Record<string, JsonValue> = {};
    for (const field of fields) {
      if (field.definition || field.hidden || field.optional) continue;
      const child = await concretePart(engine, root, `${path}.${cueLabel(field.name)}`, depth + 1);
      if (field.concrete || !isEmptyStruct(child)) out[field.name] = child;
    }
    return out;
  } finally {
    await found.release();
  }
}

function isEmptyStruct(value: JsonValue): boolean {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
  );
}

async function exportOr(
  engine: CueEngine,
  value: CueValue,
  path: string,
  fallback: JsonValue,
): Promise<JsonValue> {
  const found = await engine.lookup(value, path);
  if (found === undefined) return fallback;
  try {
    return await engine.export(found);
  } finally {
    await found.release();
  }
}

async function moduleFrom(
  engine: CueEngine,
  root: CueValue,
  prefix: string,
  isAuthorFile: AuthorFileTest,
): Promise<Module> {
  const at = (field: string): string => (prefix === "" ? field : `${prefix}.${field}`);
  const raw = (await engine.export(root, { path: at("metadata") })) as Record<string, unknown>;
  const values = await concretePart(engine, root, at("values"), 0);
  const policies = await readPolicies(engine, root);
  const config = await engine.lookup(root, at("#config"));
  if (config === undefined) {
    throw new OpmError("ComponentsUnresolved", {
      message: "the CUE module has no #config",
      hint: "declare the value schema as #config (use #config: {} when the module takes no values)",
    });
  }
  const metadata = {
    apiVersion: String(raw["apiVersion"]),
    name: String(raw["name"]),
    version: String(raw["version"]),
    fqn: String(raw["fqn"]),
    identity: String(raw["identity"]),
    ...(typeof raw["defaultNamespace"] === "string" ? { defaultNamespace: raw["defaultNamespace"] } : {}),
    ...(typeof raw["description"] === "string" ? { description: raw["description"] } : {}),
    labels: (raw["labels"] ?? {}) as Labels,
    annotations: (raw["annotations"] ?? {}) as Labels,
  };
  return brand("Module", {
    kind: "Module",
    metadata,
    components: (checked: unknown) => buildComponents(engine, root, at("#config"), checked, isAuthorFile),
    policies,
    config: cueConfigSchema(engine, config, at("#config"), isAuthorFile),
    values,
  });
}

async function readPolicies(engine: CueEngine, root: CueValue): Promise<Record<string, Policy>> {
  // Policies that depend on values are not read here (the IR holds static policies only).
  const raw = (await exportOr(engine, root, `${SUMMARY_PATH}.policies`, {}).catch(
    () => ({}),
  )) as ModuleSummary["policies"];
  return Object.fromEntries(Object.entries(raw).map(([key, p]) => [key, policyFromSummary(p)]));
}

async function buildComponents(
  engine: CueEngine,
  root: CueValue,
  configPath: string,
  values: unknown,
  isAuthorFile: AuthorFileTest,
): Promise<Record<string, Component>> {
  const filled = await engine.fill(root, configPath, { json: (values ?? {}) as JsonValue });
  try {
    let summary: ModuleSummary["components"];
    try {
      summary = (await engine.export(filled, {
        path: `${SUMMARY_PATH}.components`,
      })) as unknown as ModuleSummary["components"];
    } catch (error) {
      if (!isCueEngineError(error) || error.issues.length === 0) throw error;
      throw incompleteComponents(error.issues, isAuthorFile);
    }
    return Object.fromEntries(Object.entries(summary).map(([key, c]) => [key, componentFromSummary(key, c)]));
  } finally {
    await filled.release();
  }
}

/** `component web: spec.container.image` for a path into `#components` (or the summary). */
function describeComponentPath(path: string): string {
  const segments = parseCuePath(path);
  const summary = pathBelow(path, `${SUMMARY_PATH}.components`);
  const at = segments.indexOf("#components");
  const below = summary ?? (at >= 0 ? segments.slice(at + 1) : undefined);
  if (below === undefined || below.length === 0) return path;
  const [component, ...rest] = below;
  return `component ${String(component)}: ${rest.join(".")}`;
}

/** One error listing every value a component still lacks, each with the author's position. */
function incompleteComponents(issues: readonly CueIssue[], isAuthorFile: AuthorFileTest): OpmError {
  const lines = issues.map((issue) => {
    const what = describeComponentPath(issue.path);
    const where = authorPositions(issue, isAuthorFile)[0];
    return `${where === undefined ? "" : `${formatPosition(where)}: `}${what}: ${issue.message}`;
  });
  const first = issues.map((i) => authorPositions(i, isAuthorFile)[0]).find((p) => p !== undefined);
  return new OpmError("ComponentsUnresolved", {
    message: `components are not concrete:\n${lines.map((l) => `  ${l}`).join("\n")}`,
    location: first,
    hint: "give the missing values (a values file, --set, or the module's values)",
    details: { issues },
  });
}
