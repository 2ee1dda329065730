// A transformer written in CUE (upstream's shape: `#transform` with `#component`, `#context` and
// `output`), wrapped as a sdk Transformer so it runs in the same render() as TS transformers.
// `transform` unifies the transformer's `#transform` with the component and context and exports
// `output` (one object, a list, or a map, as sdk expects). A `#Matches` predicate, when the
// transformer has one, becomes `matches`: the component is filled into `#Matches.component` and
// `#Matches.result` (a bool) decides, with `#Matches.reason` (optional) explaining. An `output`
// left unset (top, as core.#Transformer declares it) means no objects, as upstream.
import {
  brand,
  type Component,
  type MatchVerdict,
  type TransformOutput,
  type Transformer,
  type TransformerContext,
  type TransformerMetadata,
} from "../../sdk/index.ts";
import type { CueEngine } from "../engine.ts";
import { isCueEngineError } from "../errors.ts";
import type { CueIssue } from "../protocol.ts";
import type { CueValue } from "../value.ts";
import { matchInputSource, transformInputSource } from "./inputs.ts";

export interface CueTransformerParts {
  readonly metadata: TransformerMetadata;
  readonly requiredLabels: Readonly<Record<string, string>>;
  readonly optionalLabels: Readonly<Record<string, string>>;
  readonly requiredResources: readonly string[];
  readonly optionalResources: readonly string[];
  readonly requiredTraits: readonly string[];
  readonly optionalTraits: readonly string[];
  /** The transformer's `#transform` value. */
  readonly transform: CueValue;
  /** The transformer's `#Matches` value, when it has one. */
  readonly matches?: CueValue | undefined;
}

/** A base name an object keeps under component naming; CUE transformers cannot rename. */
const PROBE_NAME = "opm-naming-probe";

export function cueTransformer(engine: CueEngine, parts: CueTransformerParts): Transformer {
  const { transform: transformValue, matches: matchesValue, ...declared } = parts;
  const transform = async (component: Component, context: TransformerContext): Promise<TransformOutput> => {
    if (context.objectName(PROBE_NAME) !== PROBE_NAME) {
      throw new Error(
        "a CUE transformer names objects after their components; release-prefixed naming needs TS transformers",
      );
    }
    return (await evaluate(
      engine,
      transformValue,
      transformInputSource(component, context),
      "output",
      true,
    )) as TransformOutput;
  };
  const base = { kind: "Transformer" as const, ...declared, transform };
  if (matchesValue === undefined) return brand("Transformer", base);
  const matches = async (component: Component): Promise<MatchVerdict> => {
    // Only `result` and `reason` are read: the rest of `#Matches` (e.g. core.#Matches'
    // `transformer` requirements, whose values are definitions or `_`) need not be concrete.
    const result = await evaluate(engine, matchesValue, matchInputSource(component), "result", false);
    if (typeof result !== "boolean") throw new Error("#Matches.result is not a bool");
    const reason = await evaluate(engine, matchesValue, matchInputSource(component), "reason", true);
    return {
      matched: result,
      reason: typeof reason === "string" ? reason : `CUE #Matches evaluated ${String(result)}`,
    };
  };
  return brand("Transformer", { ...base, matches });
}

/**
 * Unifies `value` with the CUE `input` and exports `path`. An absent path gives undefined when
 * `optional`. CUE errors become one Error listing each issue
 * with its position, so the render error says what failed and where.
 */
async function evaluate(
  engine: CueEngine,
  value: CueValue,
  input: string,
  path: string,
  optional: boolean,
): Promise<unknown> {
  const compiled = await engine.compile(input, { filename: "transformer-input.cue" });
  let unified: CueValue | undefined;
  try {
    unified = await engine.unify(value, compiled);
    if (optional && (await engine.lookup(unified, path)) === undefined) return undefined;
    return await engine.export(unified, { path });
  } catch (error) {
    // core.#Transformer declares `output: _`: an output left as top means "no objects".
    if (optional && isCueEngineError(error) && isUnsetTop(error.issues, path)) return undefined;
    if (isCueEngineError(error) && error.issues.length > 0) {
      throw new Error(error.describeIssues().join("; "), { cause: error });
    }
    throw error;
  } finally {
    await engine.release(...[compiled, ...(unified === undefined ? [] : [unified])]);
  }
}

function isUnsetTop(issues: readonly CueIssue[], path: string): boolean {
  return (
    issues.length > 0 &&
    issues.every((issue) => issue.message === "incomplete value _" && issue.path.endsWith(`.${path}`))
  );
}
