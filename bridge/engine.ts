// The CueEngine interface: what the rest of OPM may ask of CUE. Implemented by client.ts over
// either engine build; create one with createCueEngine() and close() it when done.
import type {
  CatalogResult,
  CueFieldInfo,
  CueIssue,
  JsonValue,
  PingResult,
  ValuePosition,
  VersionResult,
} from "./protocol.ts";
import type { EngineAnswerCache } from "./answer-cache.ts";
import type { CueValue } from "./value.ts";
import type { HostFetch } from "./wasm.ts";

/**
 * Which build of the CUE engine answers: the native Go binary for this platform, or the same
 * program compiled to wasm (slower to start, runs anywhere Node does).
 */
export type EngineKind = "native" | "wasm";

/**
 * How `createCueEngine` starts the engine; every field has a default, so `createCueEngine()` works
 * in a checkout and in an installed package.
 */
export interface CueEngineOptions {
  /**
   * Which build to run. `auto` runs the native binary for this platform and moves to the wasm
   * build, once and for good, when the native one cannot start (missing, wrong architecture,
   * exec refused); `onNotice` is told why.
   * @default "auto"
   */
  readonly engine?: EngineKind | "auto";
  /** Path of the native binary. @default bridge/dist/native/<platform>-<arch>/cue-engine in this package */
  readonly nativeBinary?: string;
  /** Path of the wasm module. @default bridge/dist/cue-engine.wasm */
  readonly wasmFile?: string;
  /** Path of Go's wasm_exec.js. @default bridge/dist/wasm_exec.js */
  readonly wasmExecFile?: string;
  /**
   * The engine's environment; pass `process.env` from a program. Native: the child's whole
   * environment (undefined inherits the parent's). Wasm: the variables Go's module code reads
   * (HOME, XDG_CACHE_HOME, XDG_CONFIG_HOME, CUE_CACHE_DIR, CUE_CONFIG_DIR, CUE_REGISTRY,
   * DOCKER_CONFIG) are taken from it (undefined means none: no module cache in HOME).
   * Registry auth and CUE_REGISTRY are read from here.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Told about choices worth a line in verbose output, such as falling back to the wasm engine. */
  readonly onNotice?: (message: string) => void;
  /** CUE_REGISTRY for module dependencies, e.g. `127.0.0.1:5000+insecure`; overrides env's. */
  readonly cueRegistry?: string;
  /**
   * The built-in `opmodel.dev/...@v0` catalog: a directory holding one CUE module per
   * subdirectory, served to loads before any registry (unless the registry setting routes
   * `opmodel.dev` explicitly), or `false` for none. @default the catalog shipped in this package
   */
  readonly catalogDir?: string | false;
  /** CUE_CACHE_DIR: where fetched modules are cached (wasm needs it or HOME to fetch). */
  readonly cacheDir?: string;
  /** Default per-request timeout in milliseconds. @default 60000 */
  readonly timeoutMs?: number;
  /** The engine refuses new work above this live heap. @default 2048 */
  readonly memoryLimitMB?: number;
  /** Wasm only: how the engine reaches registries. @default globalThis.fetch */
  readonly fetch?: HostFetch;
  /** Wasm only: give the engine Node's file system (else only overlays). @default true */
  readonly fileSystem?: boolean;
  /**
   * Where answers are remembered by content (see EngineAnswerCache): a run whose requests were
   * all asked before, against the same files, never starts the engine. @default none
   */
  readonly cache?: EngineAnswerCache;
}

/** What every engine request accepts. */
export interface RequestOptions {
  /** Overrides the engine's default timeout for this request. */
  readonly timeoutMs?: number;
  /** Cancels the request; it rejects with a CueEngineError OPM5012 (reason `Aborted`). */
  readonly signal?: AbortSignal;
}

/** Options of `compile` and `format`. */
export interface CompileOptions extends RequestOptions {
  /** File name used in positions. @default "input.cue" */
  readonly filename?: string;
}

/** Which CUE package `load` reads, and what replaces files on disk. */
export interface LoadOptions extends RequestOptions {
  /** The package directory (a module root or a directory inside a module). */
  readonly dir: string;
  /** Package name when the directory holds several. */
  readonly package?: string;
  /** Files by path (absolute, or relative to dir) that replace or add to what is on disk. */
  readonly overlay?: Readonly<Record<string, string>>;
  /** CUE_REGISTRY for this load only. */
  readonly registry?: string;
}

/** A loaded CUE package. */
export interface LoadedInstance {
  /** The package value, evaluated. */
  readonly value: CueValue;
  /** The module path from cue.mod/module.cue, e.g. `example.com/app@v0`. */
  readonly module: string;
  /** The package's import path (module path, directory and package name, as `cue` prints it). */
  readonly importPath: string;
  /** The package's files, relative to dir. */
  readonly files: readonly string[];
}

/**
 * Which OPM module `loadModule` reads: a CUE package as for `load`, the module's path in it, and
 * files to leave out (`loadCueModule` leaves out the `values_*.cue` alternatives beside it).
 */
export interface LoadModuleOptions extends LoadOptions {
  /**
   * CUE path of the module value in the package.
   * @default the package itself when it has `metadata` and `#components`, else its one
   * top-level field that has both
   */
  readonly path?: string;
  /** Names of files in `dir` (patterns with `*`, `?`, `[...]`) left out of the package. */
  readonly exclude?: readonly string[];
}

/** An OPM module loaded and evaluated once: what a loader needs, in one answer. */
export interface LoadedModule {
  /** The package value. */
  readonly value: CueValue;
  /** The module's `#config`. */
  readonly config: CueValue;
  /** CUE path of the module value in the package ("" when the package is the module). */
  readonly path: string;
  /** The module path from cue.mod/module.cue, e.g. `example.com/app@v0`. */
  readonly module: string;
  /** The package's import path, as for `load`. */
  readonly importPath: string;
  /** The package's files, relative to dir. */
  readonly files: readonly string[];
  /** Files of dir left out by `exclude`. */
  readonly excluded: readonly string[];
  /** The module's `metadata` as plain data. */
  readonly metadata: JsonValue;
  /** The concrete part of the values the author wrote, without what `#config` derives. */
  readonly values: JsonValue;
  /** Where each of those values was written. */
  readonly valuePositions: readonly ValuePosition[];
  /** Whether the module has `#policies` (read with values by `modulePolicies`). */
  readonly hasPolicies: boolean;
}

/** What `moduleComponents` fills the module with. */
export interface ModuleComponentsOptions extends RequestOptions {
  /** The module's path in the package, as `LoadedModule.path`. */
  readonly path: string;
  /** Checked values `#config` is filled with. */
  readonly values: JsonValue;
  /** Wired interface values, filled at `#components.<key>.requires.<local>`. */
  readonly requires?: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>;
  /**
   * Summarise for wiring: the spec of components that require interfaces is left out (it reads
   * fields only `requires` makes concrete). @default false
   */
  readonly discover?: boolean;
}

/** What `modulePolicies` reads a loaded module's `#policies` with. */
export interface ModulePoliciesOptions extends RequestOptions {
  /** The module's path in the package, as `LoadedModule.path`. */
  readonly path: string;
  /** Checked values `#config` is filled with. */
  readonly values: JsonValue;
}

/** What part of a value `export` and friends print. */
export interface OutputOptions extends RequestOptions {
  /** A CUE path inside the value, e.g. `a.b[0]."x-y".#Def`. */
  readonly path?: string;
  /** Include hidden fields (`_x`). @default false */
  readonly hidden?: boolean;
  /** Include definitions (`#X`). @default false */
  readonly definitions?: boolean;
}

/** Options of the requests that print CUE source (`exportText`, `eval`). */
export interface SourceOutputOptions extends OutputOptions {
  /** CUE only: keep optional fields. @default false */
  readonly optional?: boolean;
  /** CUE only: keep comments and attributes. @default false */
  readonly docs?: boolean;
}

/** What `validate` checks. */
export interface ValidateOptions extends RequestOptions {
  /** A CUE path inside the value to check instead of the whole value. */
  readonly path?: string;
  /** Every regular field must be concrete (like `cue vet -c`). @default false */
  readonly concrete?: boolean;
  /** Check definitions (`#X`) too. @default false */
  readonly definitions?: boolean;
  /** Check hidden fields (`_x`) too. @default false */
  readonly hidden?: boolean;
}

/** The outcome of `validate`. */
export interface ValidationReport {
  /** True when there is no issue. */
  readonly ok: boolean;
  /** Every CUE error, each with its value path and source positions. */
  readonly issues: readonly CueIssue[];
}

/** Which fields `fields` lists. */
export interface FieldsOptions extends RequestOptions {
  /** A CUE path inside the value whose fields to list. */
  readonly path?: string;
  /** @default true */
  readonly definitions?: boolean;
  /** @default true */
  readonly hidden?: boolean;
  /** Optional and required (`!`) fields. @default true */
  readonly optional?: boolean;
}

/** What `fill` puts at a path: data as JSON, or CUE source (constraints too). */
export type FillWith = { readonly json: JsonValue } | { readonly cue: string };

/** How `toOpenAPI` generates the document. */
export interface OpenAPIOptions extends RequestOptions {
  /** A CUE path inside the value to generate from. */
  readonly path?: string;
  /** The document's `info.title`. */
  readonly title?: string;
  /** The document's `info.version`. */
  readonly version?: string;
  /** Inline referenced schemas instead of writing `$ref`s. @default false */
  readonly expandReferences?: boolean;
}

/** How `fromJSONSchema` reads the schema document. */
export interface FromJSONSchemaOptions extends RequestOptions {
  /** JSON path of the schemas inside the document, e.g. `#/components/schemas`. */
  readonly root?: string;
  /** Package clause of the generated CUE. */
  readonly package?: string;
  /** File name used in positions of errors about the document. */
  readonly filename?: string;
}

/**
 * What OPM asks of CUE; one client over the native or the wasm build (create one with
 * `createCueEngine` and `close` it when done). Values are handles kept on the engine side; every
 * request is bounded by a timeout. A request that fails rejects with a CueEngineError: OPM5004 for
 * CUE that does not evaluate (every issue with its positions), OPM5005 for a package that cannot be
 * loaded, OPM5011 for a timeout (the native engine is restarted), OPM5012 when aborted.
 */
export interface CueEngine {
  /** The build that answers: `auto` starts as native and becomes wasm if the native one cannot start. */
  readonly kind: EngineKind;
  /** Native engine process id while it runs (for diagnostics). */
  readonly pid: number | undefined;
  /** Checks that the engine answers; reports how many values it holds and its live heap. */
  ping(options?: RequestOptions): Promise<PingResult>;
  /** The engine's build: its protocol version, CUE and Go versions. */
  version(options?: RequestOptions): Promise<VersionResult>;
  /**
   * The built-in catalog: its directory, content version and modules, and which of them a
   * registry setting (CUE_REGISTRY syntax; default the engine's) routes to a registry instead.
   */
  catalog(options?: RequestOptions & { readonly registry?: string }): Promise<CatalogResult>;
  /** Compiles CUE source into a value; a package with its imports loads with `load`. */
  compile(source: string, options?: CompileOptions): Promise<CueValue>;
  /** Loads a CUE package from disk, with its imports from the catalog or a registry. */
  load(options: LoadOptions): Promise<LoadedInstance>;
  /** Loads an OPM module: one evaluation, everything a loader needs. */
  loadModule(options: LoadModuleOptions): Promise<LoadedModule>;
  /**
   * A loaded module's components, `#config` filled with `values`, as plain data; the thrown
   * CueError lists every field that does not evaluate, with its positions.
   */
  moduleComponents(module: CueValue, options: ModuleComponentsOptions): Promise<JsonValue>;
  /**
   * A loaded module's `#policies`, `#config` filled with `values`, as plain data; the thrown
   * CueError lists every field that does not evaluate, with its positions.
   */
  modulePolicies(module: CueValue, options: ModulePoliciesOptions): Promise<JsonValue>;
  /** Concrete data as JSON; every non-concrete field is an issue of the thrown CueError. */
  export(value: CueValue, options?: OutputOptions): Promise<JsonValue>;
  /** Concrete data as CUE or YAML text. */
  exportText(value: CueValue, format: "cue" | "yaml", options?: SourceOutputOptions): Promise<string>;
  /** Any value (schemas too) as CUE source, like `cue eval`. */
  eval(value: CueValue, options?: SourceOutputOptions): Promise<string>;
  /** A new value: `value` with `with_` unified in at `path`. */
  fill(value: CueValue, path: string, with_: FillWith, options?: RequestOptions): Promise<CueValue>;
  /** A new value: `a` and `b` unified (conflicts are issues when exported or validated). */
  unify(a: CueValue, b: CueValue, options?: RequestOptions): Promise<CueValue>;
  /** Never throws for invalid CUE: returns every issue. */
  validate(value: CueValue, options?: ValidateOptions): Promise<ValidationReport>;
  /**
   * The fields of a value (or of the value at `options.path`), with whether each is optional,
   * required, a definition or hidden, and whether it has a default.
   */
  fields(value: CueValue, options?: FieldsOptions): Promise<readonly CueFieldInfo[]>;
  /** The value at a path, or undefined when there is none. */
  lookup(value: CueValue, path: string, options?: RequestOptions): Promise<CueValue | undefined>;
  /** Formats CUE source as `cue fmt` does. */
  format(source: string, options?: CompileOptions): Promise<string>;
  /** CUE source for a JSON document (given as text, so its errors have positions). */
  fromJSON(json: string, options?: CompileOptions): Promise<string>;
  /** A JSON Schema of the value (or of the value at `path`), e.g. a module's `#config` for editors. */
  toJSONSchema(value: CueValue, options?: RequestOptions & { readonly path?: string }): Promise<JsonValue>;
  /** An OpenAPI 3 document of the definitions in the value. */
  toOpenAPI(value: CueValue, options?: OpenAPIOptions): Promise<JsonValue>;
  /** CUE source for a JSON Schema document (given as text, so its errors have positions). */
  fromJSONSchema(schema: string, options?: FromJSONSchemaOptions): Promise<string>;
  /** Frees values on the engine side; released values can no longer be used. */
  release(...values: CueValue[]): Promise<void>;
  /** Stops the engine. Requests in flight reject with Closed. */
  close(): Promise<void>;
}
