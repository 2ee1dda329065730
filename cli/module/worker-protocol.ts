// The messages between the CLI and the worker thread that runs a TypeScript module's code
// (runner.ts starts it, worker.ts answers). Everything crossing is structured-cloneable data:
// values sources lose their `locate` function (their positions travel as a table), and errors
// travel as their fields and become the same kind of error again on the CLI's side.
import type {
  Component,
  DataValuesSource,
  ExternalProvision,
  NamingMode,
  RenderResult,
  SetInput,
  SourceLocation,
  ValuesPath,
  ValuesSource,
} from "../../sdk/index.ts";
import type { ErrorCodeKey } from "../../sdk/error-codes.ts";
import { isOpmError, OpmError } from "../../sdk/errors.ts";
import type { PlatformPolicyConfig } from "../config/schema.ts";
import { ProblemList } from "../errors/problem-list.ts";

export type Env = Readonly<Record<string, string | undefined>>;

/** A values source as data: a text source as it is, a data source with its positions listed. */
export type PortableSource =
  | { readonly name: string; readonly text: string }
  | {
      readonly name: string;
      readonly data: unknown;
      /** `[JSON of a values path, where it is]` for every path of `data` the source locates. */
      readonly locations: readonly (readonly [string, SourceLocation])[];
    };

export interface RenderJob {
  readonly provider: string;
  /** @default the module's defaultNamespace, else `default` */
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
  readonly values: readonly PortableSource[];
  readonly set: readonly (string | SetInput)[];
  readonly strict: boolean;
  /** @default the module's `metadata.naming` */
  readonly naming?: NamingMode | undefined;
  /** Also build the components from the checked values (for `mod eval`). */
  readonly evaluateComponents: boolean;
  /** The config file's platform policies, as data (checked by the CLI's thread already). */
  readonly policies?: Readonly<Record<string, PlatformPolicyConfig>> | undefined;
  /** Interfaces other releases in the namespace provide, read from the cluster by the CLI's thread. */
  readonly provisions?: readonly ExternalProvision[] | undefined;
}

/** A component as plain data: definitions by FQN, and its spec with values applied. */
export interface EvaluatedComponent {
  readonly metadata: Component["metadata"];
  readonly resources: readonly string[];
  readonly traits: readonly string[];
  readonly blueprints: readonly string[];
  readonly spec: Component["spec"];
}

export interface RenderOutcome {
  readonly result: RenderResult;
  readonly components?: Readonly<Record<string, EvaluatedComponent>>;
}

export type WorkerRequest =
  | { readonly id: number; readonly kind: "begin"; readonly env: Env }
  | { readonly id: number; readonly kind: "compile"; readonly file: string }
  | { readonly id: number; readonly kind: "load-module"; readonly file: string }
  | { readonly id: number; readonly kind: "load-values"; readonly file: string; readonly name: string }
  | { readonly id: number; readonly kind: "render"; readonly job: RenderJob }
  /** The last request: the worker stores what outlives it (its code cache), then is ended. */
  | { readonly id: number; readonly kind: "finish" };

/** The answer to `begin`. */
export interface WorkerStarted {
  /** The worker compiled its code afresh and writes a code cache when it gets `finish`. */
  readonly codeCacheToWrite: boolean;
}

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: PortableError };

export function evaluatedComponent(component: Component): EvaluatedComponent {
  return {
    metadata: component.metadata,
    resources: Object.keys(component.resources).sort(),
    traits: Object.keys(component.traits).sort(),
    blueprints: Object.keys(component.blueprints).sort(),
    spec: component.spec,
  };
}

function isDataSource(source: ValuesSource): source is DataValuesSource {
  return !("text" in source && typeof source.text === "string");
}

/** Every path of `data` (the root included), depth first. */
function* pathsOf(data: unknown, path: (string | number)[] = []): Generator<ValuesPath> {
  yield path;
  if (Array.isArray(data)) {
    for (let i = 0; i < data.length; i++) yield* pathsOf(data[i], [...path, i]);
  } else if (typeof data === "object" && data !== null) {
    for (const [key, value] of Object.entries(data)) yield* pathsOf(value, [...path, key]);
  }
}

export function portableSource(source: ValuesSource): PortableSource {
  if (!isDataSource(source)) return { name: source.name, text: source.text };
  const locations: (readonly [string, SourceLocation])[] = [];
  if (source.locate !== undefined) {
    for (const path of pathsOf(source.data)) {
      const location = source.locate(path);
      if (location !== undefined) locations.push([JSON.stringify(path), location]);
    }
  }
  return { name: source.name, data: source.data, locations };
}

export function sourceOf(portable: PortableSource): ValuesSource {
  if ("text" in portable) return portable;
  const table = new Map(portable.locations);
  return {
    name: portable.name,
    data: portable.data,
    locate: (path) => table.get(JSON.stringify(path)),
  };
}

/** An error's fields, as they cross the thread boundary. */
export interface PortableError {
  readonly kind: "opm" | "list" | "other";
  readonly key?: ErrorCodeKey;
  readonly message: string;
  readonly name?: string;
  readonly stack?: string | undefined;
  readonly locations?: readonly SourceLocation[];
  readonly hint?: string | undefined;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly problems?: readonly PortableError[];
}

function cloneable(details: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  try {
    return structuredClone(details);
  } catch {
    return {};
  }
}

export function portableError(error: unknown): PortableError {
  if (error instanceof ProblemList) {
    return { kind: "list", message: error.message, problems: error.problems.map(portableError) };
  }
  if (isOpmError(error)) {
    return {
      kind: "opm",
      key: error.key,
      message: error.message,
      stack: error.stack,
      locations: error.locations,
      hint: error.hint,
      details: cloneable(error.details),
    };
  }
  if (error instanceof Error)
    return { kind: "other", name: error.name, message: error.message, stack: error.stack };
  return { kind: "other", message: String(error) };
}

/** The error again, as the same kind the presenter knows (OpmError, a list of problems). */
export function errorOf(portable: PortableError): Error {
  if (portable.kind === "list")
    return new ProblemList((portable.problems ?? []).map(errorOf), portable.message);
  const error =
    portable.kind === "opm" && portable.key !== undefined
      ? new OpmError(portable.key, {
          message: portable.message,
          locations: portable.locations,
          hint: portable.hint,
          details: portable.details,
        })
      : Object.assign(new Error(portable.message), { name: portable.name ?? "Error" });
  if (portable.stack !== undefined) error.stack = portable.stack;
  return error;
}

/** The render result with its errors as data (OpmErrors do not survive structured cloning). */
export function portableOutcome(outcome: RenderOutcome): unknown {
  return { ...outcome, result: { ...outcome.result, errors: outcome.result.errors.map(portableError) } };
}

export function outcomeOf(data: unknown): RenderOutcome {
  const outcome = data as Omit<RenderOutcome, "result"> & {
    result: Omit<RenderResult, "errors"> & { errors: readonly PortableError[] };
  };
  return {
    ...outcome,
    result: { ...outcome.result, errors: outcome.result.errors.map((e) => errorOf(e) as OpmError) },
  };
}
