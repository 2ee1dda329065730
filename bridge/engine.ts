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

export type EngineKind = "native" | "wasm";

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

export interface RequestOptions {
  /** Overrides the engine's default timeout for this request. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface CompileOptions extends RequestOptions {
  /** File name used in positions. @default "input.cue" */
  readonly filename?: string;
}

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

export interface LoadedInstance {
  readonly value: CueValue;
  /** The module path from cue.mod/module.cue, e.g. `example.com/app@v0`. */
  readonly module: string;
  readonly importPath: string;
  /** The package's files, relative to dir. */
  readonly files: readonly string[];
}

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
  readonly importPath: string;
  /** The package's files, relative to dir. */
  readonly files: readonly string[];
  /** Files of dir left out by `exclude`. */
  readonly excluded: readonly string[];
  readonly metadata: JsonValue;
  /** The concrete part of the values the author wrote, without what `#config` derives. */
  readonly values: JsonValue;
  /** Where each of those values was written. */
  readonly valuePositions: readonly ValuePosition[];
  /** Policies as plain data, when they do not depend on values. */
  readonly policies?: JsonValue;
}

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

export interface OutputOptions extends RequestOptions {
  /** A CUE path inside the value, e.g. `a.b[0]."x-y".#Def`. */
  readonly path?: string;
  /** Include hidden fields (`_x`). @default false */
  readonly hidden?: boolean;
  /** Include definitions (`#X`). @default false */
  readonly definitions?: boolean;
}

export interface SourceOutputOptions extends OutputOptions {
  /** CUE only: keep optional fields. @default false */
  readonly optional?: boolean;
  /** CUE only: keep comments and attributes. @default false */
  readonly docs?: boolean;
}

export interface ValidateOptions extends RequestOptions {
  readonly path?: string;
  /** Every regular field must be concrete (like `cue vet -c`). @default false */
  readonly concrete?: boolean;
  readonly definitions?: boolean;
  readonly hidden?: boolean;
}

export interface ValidationReport {
  readonly ok: boolean;
  readonly issues: readonly CueIssue[];
}

export interface FieldsOptions extends RequestOptions {
  readonly path?: string;
  /** @default true */
  readonly definitions?: boolean;
  /** @default true */
  readonly hidden?: boolean;
  /** Optional and required (`!`) fields. @default true */
  readonly optional?: boolean;
}

export type FillWith = { readonly json: JsonValue } | { readonly cue: string };

export interface OpenAPIOptions extends RequestOptions {
  readonly path?: string;
  readonly title?: string;
  readonly version?: string;
  readonly expandReferences?: boolean;
}

export interface FromJSONSchemaOptions extends RequestOptions {
  /** JSON path of the schemas inside the document, e.g. `#/components/schemas`. */
  readonly root?: string;
  /** Package clause of the generated CUE. */
  readonly package?: string;
  readonly filename?: string;
}

export interface CueEngine {
  /** The build that answers: `auto` starts as native and becomes wasm if the native one cannot start. */
  readonly kind: EngineKind;
  /** Native engine process id while it runs (for diagnostics). */
  readonly pid: number | undefined;
  ping(options?: RequestOptions): Promise<PingResult>;
  version(options?: RequestOptions): Promise<VersionResult>;
  /**
   * The built-in catalog: its directory, content version and modules, and which of them a
   * registry setting (CUE_REGISTRY syntax; default the engine's) routes to a registry instead.
   */
  catalog(options?: RequestOptions & { readonly registry?: string }): Promise<CatalogResult>;
  compile(source: string, options?: CompileOptions): Promise<CueValue>;
  load(options: LoadOptions): Promise<LoadedInstance>;
  /** Loads an OPM module: one evaluation, everything a loader needs. */
  loadModule(options: LoadModuleOptions): Promise<LoadedModule>;
  /**
   * A loaded module's components, `#config` filled with `values`, as plain data; the thrown
   * CueError lists every field that does not evaluate, with its positions.
   */
  moduleComponents(module: CueValue, options: ModuleComponentsOptions): Promise<JsonValue>;
  /** Concrete data as JSON; every non-concrete field is an issue of the thrown CueError. */
  export(value: CueValue, options?: OutputOptions): Promise<JsonValue>;
  /** Concrete data as CUE or YAML text. */
  exportText(value: CueValue, format: "cue" | "yaml", options?: SourceOutputOptions): Promise<string>;
  /** Any value (schemas too) as CUE source, like `cue eval`. */
  eval(value: CueValue, options?: SourceOutputOptions): Promise<string>;
  fill(value: CueValue, path: string, with_: FillWith, options?: RequestOptions): Promise<CueValue>;
  unify(a: CueValue, b: CueValue, options?: RequestOptions): Promise<CueValue>;
  /** Never throws for invalid CUE: returns every issue. */
  validate(value: CueValue, options?: ValidateOptions): Promise<ValidationReport>;
  fields(value: CueValue, options?: FieldsOptions): Promise<readonly CueFieldInfo[]>;
  /** The value at a path, or undefined when there is none. */
  lookup(value: CueValue, path: string, options?: RequestOptions): Promise<CueValue | undefined>;
  format(source: string, options?: CompileOptions): Promise<string>;
  /** CUE source for a JSON document (given as text, so its errors have positions). */
  fromJSON(json: string, options?: CompileOptions): Promise<string>;
  toJSONSchema(value: CueValue, options?: RequestOptions & { readonly path?: string }): Promise<JsonValue>;
  toOpenAPI(value: CueValue, options?: OpenAPIOptions): Promise<JsonValue>;
  fromJSONSchema(schema: string, options?: FromJSONSchemaOptions): Promise<string>;
  /** Frees values on the engine side; released values can no longer be used. */
  release(...values: CueValue[]): Promise<void>;
  /** Stops the engine. Requests in flight reject with Closed. */
  close(): Promise<void>;
}
