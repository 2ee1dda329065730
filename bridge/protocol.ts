// The wire protocol between the TS client and the Go engine (bridge/go/protocol.go): one JSON
// request per line, one JSON response per line, matched by id. Bump PROTOCOL_VERSION on both
// sides together when a shape changes incompatibly.

export const PROTOCOL_VERSION = 1;

/** A source position as CUE reports it; line and column are 1-based. */
export interface CuePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** One CUE error: where in the value (dotted path) and where in the sources. */
export interface CueIssue {
  readonly path: string;
  readonly message: string;
  readonly positions: readonly CuePosition[];
}

/** Codes the engine itself returns (see bridge/go/protocol.go). */
export type EngineErrorCode =
  | "InvalidRequest"
  | "UnknownMethod"
  | "UnknownHandle"
  | "CueError"
  | "LoadError"
  | "NotFound"
  | "MemoryLimit"
  | "Internal";

export interface WireError {
  readonly code: EngineErrorCode;
  readonly message: string;
  readonly errors?: readonly CueIssue[];
}

export interface WireRequest {
  readonly v: number;
  readonly id: number;
  readonly method: string;
  readonly params?: unknown;
}

export interface WireResponse {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: WireError;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Result shapes by method, as the engine sends them. */
export interface HandleResult {
  readonly handle: number;
}
export interface LoadResult extends HandleResult {
  readonly module: string;
  readonly importPath: string;
  readonly files: readonly string[];
}
export interface LoadModuleResult extends LoadResult {
  readonly config: number;
  readonly path: string;
  readonly excluded: readonly string[] | null;
  readonly metadata: JsonValue;
  readonly values: JsonValue;
  readonly valuePositions: readonly ValuePosition[];
  readonly policies: JsonValue;
}
/** Where one value of a module's own values was written; `path` is rooted at `values`. */
export interface ValuePosition extends CuePosition {
  readonly path: readonly (string | number)[];
}
export interface LookupResult {
  readonly exists: boolean;
  readonly handle?: number;
  readonly kind?: string;
}
export interface PingResult {
  readonly pong: true;
  readonly handles: number;
  readonly heapBytes: number;
}
/** The built-in catalog and, for one registry setting, who serves each of its modules. */
export interface CatalogResult {
  /** False when the engine was started without a catalog directory. */
  readonly enabled: boolean;
  readonly dir?: string;
  /** SHA-256 of the catalog's files: what identifies its content. */
  readonly digest?: string;
  /** The version built-in modules report, derived from the digest (e.g. `v0.1.0-builtin-3fa2c9d01b7e`). */
  readonly version?: string;
  readonly modules: readonly {
    /** Module path with major version, e.g. `opmodel.dev/core@v0`. */
    readonly path: string;
    /** `registry` when the registry setting routes this module to a registry explicitly. */
    readonly servedBy: "builtin" | "registry";
  }[];
}
export interface VersionResult {
  readonly protocol: number;
  readonly cue: string;
  readonly go: string;
  readonly engine: "native" | "wasm";
}
export interface ValidateResult {
  readonly ok: boolean;
  readonly errors: readonly CueIssue[];
}

/** One field of a struct, as `fields` lists it. */
export interface CueFieldInfo {
  /** The label without markers: `a` for `a?`, `#Def` for a definition, `_h` for a hidden field. */
  readonly name: string;
  /** The label as CUE writes it, with `?`/`!` markers. */
  readonly selector: string;
  /** CUE kind, possibly a disjunction of kinds such as `int|string`, or `_` for top. */
  readonly kind: string;
  readonly concrete: boolean;
  readonly definition: boolean;
  readonly hidden: boolean;
  readonly optional: boolean;
  readonly required: boolean;
  readonly hasDefault: boolean;
  readonly isReference: boolean;
}

export function encodeRequest(id: number, method: string, params: unknown): string {
  const request: WireRequest = { v: PROTOCOL_VERSION, id, method, params };
  return JSON.stringify(request);
}
