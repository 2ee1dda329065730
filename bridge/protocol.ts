// The wire protocol between the TS client and the Go engine (bridge/go/protocol.go): one JSON
// request per line, one JSON response per line, matched by id. Bump PROTOCOL_VERSION on both
// sides together when a shape changes incompatibly.

/**
 * The version of the wire protocol this client speaks; the engine refuses another. Bumped on both
 * sides together when a shape changes incompatibly.
 */
export const PROTOCOL_VERSION = 1;

/** A source position as CUE reports it; line and column are 1-based. */
export interface CuePosition {
  /** The file as the engine names it (absolute, or relative to the loaded directory). */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

/** One CUE error: where in the value (dotted path) and where in the sources. */
export interface CueIssue {
  /** Where in the value, as a CUE path (`a.b[0]`); "" for the root. */
  readonly path: string;
  /** CUE's message. */
  readonly message: string;
  /** Every source position involved, most relevant first (a conflict has one per side). */
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

/** Plain JSON data, what the engine takes and gives for concrete values. */
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
  readonly hasPolicies: boolean;
}
/** Where one value of a module's own values was written; `path` is rooted at `values`. */
export interface ValuePosition extends CuePosition {
  /** Values path without the `values.` root, e.g. `["image", "tag"]`. */
  readonly path: readonly (string | number)[];
}
export interface LookupResult {
  readonly exists: boolean;
  readonly handle?: number;
  readonly kind?: string;
}
/** What `ping` answers. */
export interface PingResult {
  /** Always true: the engine answered. */
  readonly pong: true;
  /** How many values the engine holds for this client. */
  readonly handles: number;
  /** The engine's live heap in bytes (requests are refused above `memoryLimitMB`). */
  readonly heapBytes: number;
}
/** The built-in catalog and, for one registry setting, who serves each of its modules. */
export interface CatalogResult {
  /** False when the engine was started without a catalog directory. */
  readonly enabled: boolean;
  /** The catalog directory the engine serves from. */
  readonly dir?: string;
  /** SHA-256 of the catalog's files: what identifies its content. */
  readonly digest?: string;
  /** The version built-in modules report, derived from the digest (e.g. `v0.1.0-builtin-3fa2c9d01b7e`). */
  readonly version?: string;
  /** Every module of the catalog and who serves it under the registry setting asked about. */
  readonly modules: readonly {
    /** Module path with major version, e.g. `opmodel.dev/core@v0`. */
    readonly path: string;
    /** `registry` when the registry setting routes this module to a registry explicitly. */
    readonly servedBy: "builtin" | "registry";
  }[];
}
/** What `version` answers: what the engine was built from. */
export interface VersionResult {
  /** The wire protocol version the engine speaks ({@link PROTOCOL_VERSION}). */
  readonly protocol: number;
  /** The `cuelang.org/go` version the engine was built with. */
  readonly cue: string;
  /** The Go version the engine was built with. */
  readonly go: string;
  /** Which build answered. */
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
  /** True when the field's value is concrete data. */
  readonly concrete: boolean;
  /** True for a definition (`#X`). */
  readonly definition: boolean;
  /** True for a hidden field (`_x`, or a package-scoped one). */
  readonly hidden: boolean;
  /** True for an optional field (`a?`). */
  readonly optional: boolean;
  /** True for a required field (`a!`). */
  readonly required: boolean;
  /** True when the field's value has a default (`*x | y`). */
  readonly hasDefault: boolean;
  /** True when the field's value is a reference to another value. */
  readonly isReference: boolean;
}

export function encodeRequest(id: number, method: string, params: unknown): string {
  const request: WireRequest = { v: PROTOCOL_VERSION, id, method, params };
  return JSON.stringify(request);
}
