// Loads a CUE module directory (one with `cue.mod/`, importing the catalog from a registry or the
// module cache) into the sdk IR, in one evaluation of the package (the engine's loadModule).
// The Module renders through the same pipeline as a TypeScript module: sdk layers values (the
// values the author wrote, `-f` files, `--set`), checks them with the CUE `#config` (config.ts),
// then the components factory fills `#config` with the checked values and reads every component
// back as plain data, or reports every field that does not evaluate, with its position.
//
// The author's values are what they wrote in `values`, without the `#config` modules unify it
// with (`values: #config`): defaults and fields `#config` computes are left to the final check,
// so they follow the values of every layer (CUE's meaning), and a later layer replaces what the
// author wrote. Files named `values?*.cue` beside the module (values_prod.cue, ...) are
// alternative value sets: they stay out of the package and count only when passed with `-f`.
import { brand, OpmError, type Component, type Labels, type Module, type Policy } from "../../sdk/index.ts";
import type { InterfaceBindings, NamingMode, SourceLocation, ValuesPath } from "../../sdk/index.ts";
import { createCueEngine } from "../create.ts";
import type { CueEngine, LoadedModule } from "../engine.ts";
import { CueEngineError, isCueEngineError } from "../errors.ts";
import type { CueIssue, JsonValue } from "../protocol.ts";
import { cuePolicyCheck } from "./policy-check.ts";
import { cueConfigSchema, VALUES_FILE } from "./config.ts";
import { authorPositions, formatPosition, forAuthor, parseCuePath, type AuthorFileTest } from "./paths.ts";
import {
  componentFromSummary,
  policyFromSummary,
  type ComponentsSummary,
  type PoliciesSummary,
} from "./summary.ts";

/** Files beside a module that hold alternative values, loaded only when passed with `-f`. */
export const ALTERNATIVE_VALUES_FILES: readonly string[] = ["values?*.cue"];

/** How `loadCueModule` finds and reads a CUE module. */
export interface CueModuleOptions {
  /** The engine to load with; one is created (and closed by `close()`) when absent. */
  readonly engine?: CueEngine;
  /** CUE_REGISTRY for the module's dependencies, e.g. `opmodel.dev=127.0.0.1:5000+insecure`. */
  readonly registry?: string;
  /** CUE_CACHE_DIR for an engine created here. */
  readonly cacheDir?: string;
  /** The package name, when the directory holds several. */
  readonly package?: string;
  /**
   * CUE path of the module value inside the package. @default the package itself when it has
   * `metadata` and `#components`, else its only top-level field that has both
   */
  readonly path?: string;
  /** Extra files by path (relative to dir), as the engine's load overlay. */
  readonly overlay?: Readonly<Record<string, string>>;
  /**
   * Names of files beside the module (patterns with `*`, `?`, `[...]`) left out of the package.
   * @default ALTERNATIVE_VALUES_FILES (`values?*.cue`: every values file but values.cue)
   */
  readonly exclude?: readonly string[];
}

/** A CUE module loaded into the IR, with the engine its values live in. */
export interface LoadedCueModule {
  /** The module, ready for `render`: its components are built by the engine from the final values. */
  readonly module: Module;
  /** The engine the module's schema and components evaluate in; keep it open while rendering. */
  readonly engine: CueEngine;
  /** Files beside the module that were left out of the package (see `exclude`). */
  readonly excluded: readonly string[];
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
    const loaded = await engine
      .loadModule({
        dir,
        exclude: options.exclude ?? ALTERNATIVE_VALUES_FILES,
        ...(options.registry === undefined ? {} : { registry: options.registry }),
        ...(options.package === undefined ? {} : { package: options.package }),
        ...(options.path === undefined ? {} : { path: options.path }),
        ...(options.overlay === undefined ? {} : { overlay: options.overlay }),
      })
      .catch((error: unknown) => {
        if (!isCueEngineError(error)) throw error;
        if (error.reason === "NotFound") throw notAModule(error.message);
        if (error.issues.length === 0) throw error;
        const issues = forAuthor(error.issues, authorFileTest(dir));
        throw new CueEngineError({
          code: error.reason,
          message: error.message,
          issues,
          method: error.method,
          cause: error,
        });
      });
    return {
      module: moduleFrom(engine, loaded, authorFileTest(dir), inDirectory(dir)),
      engine,
      excluded: loaded.excluded,
      close: async () => {
        await engine.release(loaded.value, loaded.config).catch(() => undefined);
        if (owned) await engine.close();
      },
    };
  } catch (error) {
    if (owned) await engine.close();
    throw error;
  }
}

/** A CUE path label: quoted unless it is a plain identifier. */
function cueLabel(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
}

function notAModule(message: string): OpmError {
  return new OpmError("ComponentsUnresolved", {
    message,
    hint: "embed core.#Module at the top of the package (as upstream modules do) and declare #config",
  });
}

/** A position the engine reports relative to the module directory, as a full path. */
function inDirectory(dir: string): (at: SourceLocation) => SourceLocation {
  const root = dir.endsWith("/") ? dir : `${dir}/`;
  return (at) => (at.file.startsWith("/") ? at : { ...at, file: `${root}${at.file}` });
}

function authorFileTest(dir: string): AuthorFileTest {
  const root = dir.endsWith("/") ? dir : `${dir}/`;
  return (file) =>
    file !== "fill.json" &&
    file !== VALUES_FILE &&
    !file.includes("/mod/extract/") &&
    (!file.startsWith("/") || file.startsWith(root));
}

function moduleFrom(
  engine: CueEngine,
  loaded: LoadedModule,
  isAuthorFile: AuthorFileTest,
  place: (at: SourceLocation) => SourceLocation,
): Module {
  const raw = loaded.metadata as Record<string, unknown>;
  const at = (field: string): string => (loaded.path === "" ? field : `${loaded.path}.${field}`);
  const metadata = {
    apiVersion: String(raw["apiVersion"]),
    name: String(raw["name"]),
    version: String(raw["version"]),
    fqn: String(raw["fqn"]),
    identity: String(raw["identity"] ?? raw["uuid"]),
    ...(typeof raw["defaultNamespace"] === "string" ? { defaultNamespace: raw["defaultNamespace"] } : {}),
    ...(typeof raw["description"] === "string" ? { description: raw["description"] } : {}),
    ...namingOf(raw["naming"]),
    labels: (raw["labels"] ?? {}) as Labels,
    annotations: (raw["annotations"] ?? {}) as Labels,
  };
  return brand("Module", {
    kind: "Module",
    metadata,
    components: (checked: unknown, bindings?: InterfaceBindings) =>
      buildComponents(engine, loaded, checked, bindings, isAuthorFile, place),
    policies: loaded.hasPolicies
      ? (checked: unknown) => buildPolicies(engine, loaded, checked, isAuthorFile, place)
      : {},
    config: cueConfigSchema(engine, loaded.config, at("#config"), isAuthorFile),
    values: loaded.values,
    locateValue: valueLocator(loaded),
  });
}

/** `metadata.naming`, which core.#Module has already checked to be one of the modes. */
function namingOf(raw: unknown): { naming?: NamingMode } {
  return raw === "component" || raw === "release-prefixed" ? { naming: raw } : {};
}

/** Where the author wrote each of the module's values, for errors about them. */
function valueLocator(loaded: LoadedModule): (path: ValuesPath) => SourceLocation | undefined {
  const positions = new Map(
    loaded.valuePositions.map((p) => [
      JSON.stringify(p.path),
      { file: p.file, line: p.line, column: p.column },
    ]),
  );
  return (path) => positions.get(JSON.stringify(path));
}

/**
 * The components for `values`. Without `bindings` (the first pass of interface wiring) the spec
 * of components that require interfaces is left out; with them, they fill those requirements.
 */
async function buildComponents(
  engine: CueEngine,
  loaded: LoadedModule,
  values: unknown,
  bindings: InterfaceBindings | undefined,
  isAuthorFile: AuthorFileTest,
  place: (at: SourceLocation) => SourceLocation,
): Promise<Record<string, Component>> {
  let summary: ComponentsSummary;
  try {
    summary = (await engine.moduleComponents(loaded.value, {
      path: loaded.path,
      values: (values ?? {}) as JsonValue,
      ...(bindings === undefined
        ? { discover: true }
        : { requires: bindings as Readonly<Record<string, Readonly<Record<string, JsonValue>>>> }),
    })) as unknown as ComponentsSummary;
  } catch (error) {
    if (!isCueEngineError(error) || error.issues.length === 0) throw error;
    throw componentErrors(forAuthor(error.issues, isAuthorFile), isAuthorFile);
  }
  return Object.fromEntries(
    Object.entries(summary).map(([key, c]) => [key, componentFromSummary(key, c, isAuthorFile, place)]),
  );
}

/**
 * The policies for `values`: `#policies` read with `#config` filled, as components are, so a
 * policy's rules, scope and specs follow the release's values (a rule written in CUE checks with
 * them too). A field that does not evaluate is an error naming the policy and the field.
 */
async function buildPolicies(
  engine: CueEngine,
  loaded: LoadedModule,
  values: unknown,
  isAuthorFile: AuthorFileTest,
  place: (at: SourceLocation) => SourceLocation,
): Promise<Record<string, Policy>> {
  const json = (values ?? {}) as JsonValue;
  let summary: PoliciesSummary;
  try {
    summary = (await engine.modulePolicies(loaded.value, {
      path: loaded.path,
      values: json,
    })) as unknown as PoliciesSummary;
  } catch (error) {
    if (!isCueEngineError(error) || error.issues.length === 0) throw error;
    throw policyErrors(forAuthor(error.issues, isAuthorFile), isAuthorFile, place);
  }
  const at = (field: string): string => (loaded.path === "" ? field : `${loaded.path}.${field}`);
  return Object.fromEntries(
    Object.entries(summary).map(([key, p]): [string, Policy] => [
      key,
      policyFromSummary(p, (fqn) =>
        cuePolicyCheck(
          engine,
          loaded.value,
          at(`#policies.${cueLabel(key)}.#rules.${cueLabel(fqn)}.#check`),
          { config: at("#config"), values: json },
        ),
      ),
    ]),
  );
}

/** `policy strict: spec.allowedRegistries` for a path into `#policies`. */
function describePolicyPath(path: string): string {
  const segments = parseCuePath(path);
  const at = segments.indexOf("#policies");
  if (at < 0 || at === segments.length - 1) return path;
  const [policy, ...rest] = segments.slice(at + 1);
  return rest.length === 0 ? `policy ${String(policy)}` : `policy ${String(policy)}: field ${rest.join(".")}`;
}

/** One error naming the policy and field of every issue, positioned at the first. */
function policyErrors(
  issues: readonly CueIssue[],
  isAuthorFile: AuthorFileTest,
  place: (at: SourceLocation) => SourceLocation,
): OpmError {
  const described = issues.map((issue) => ({
    where: authorPositions(issue, isAuthorFile)[0],
    text: `${describePolicyPath(issue.path)}: ${issue.message}`,
  }));
  // One line per distinct problem: CUE reports a reference once per place it is unified into.
  const lines = [
    ...new Set(
      described.map((d) => `${d.where === undefined ? "" : `${formatPosition(d.where)}: `}${d.text}`),
    ),
  ];
  const first = described.find((d) => d.where !== undefined)?.where;
  return new OpmError("PolicyUnresolved", {
    message:
      lines.length === 1
        ? described[0]!.text
        : `policies do not evaluate with these values:\n${lines.map((l) => `  ${l}`).join("\n")}`,
    location: first === undefined ? undefined : place(first),
    hint: "a policy must be concrete once #config holds the values: give the field a value or a default",
    details: { issues },
  });
}

/** `component web: spec.container.image` for a path into `#components`. */
function describeComponentPath(path: string): string {
  const segments = parseCuePath(path);
  const at = segments.indexOf("#components");
  if (at < 0 || at === segments.length - 1) return path;
  const [component, ...rest] = segments.slice(at + 1);
  return rest.length === 0
    ? `component ${String(component)}`
    : `component ${String(component)}: ${rest.join(".")}`;
}

/** One error listing every field of the components that does not evaluate, each positioned. */
function componentErrors(issues: readonly CueIssue[], isAuthorFile: AuthorFileTest): OpmError {
  // One line per distinct problem: CUE reports a reference once per place it is unified into.
  const lines = [
    ...new Set(
      issues.map((issue) => {
        const where = authorPositions(issue, isAuthorFile)[0];
        return `${where === undefined ? "" : `${formatPosition(where)}: `}${describeComponentPath(issue.path)}: ${issue.message}`;
      }),
    ),
  ];
  const first = issues.map((i) => authorPositions(i, isAuthorFile)[0]).find((p) => p !== undefined);
  const incomplete = issues.every((i) =>
    /^incomplete value|non-concrete value|unresolved disjunction/.test(i.message),
  );
  return new OpmError("ComponentsUnresolved", {
    message: `${incomplete ? "components are not concrete" : "components do not evaluate"}:\n${lines.map((l) => `  ${l}`).join("\n")}`,
    location: first,
    hint: incomplete
      ? "give the missing values (a values file, --set, or the module's values)"
      : "fix the component definitions at the positions above",
    details: { issues },
  });
}
