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
  type DefinitionMetadata,
  type MatchVerdict,
  type TransformOutput,
  type Transformer,
  type TransformerContext,
} from "../../sdk/index.ts";
import type { CueEngine } from "../engine.ts";
import { isCueEngineError } from "../errors.ts";
import type { CueIssue } from "../protocol.ts";
import type { CueValue } from "../value.ts";

/**
 * What `cueTransformer` wraps: a CUE transformer's requirements read as data, and its `#transform`
 * (and `#Matches`) as engine values.
 */
export type CueTransformerParts = Pick<
  Transformer,
  | "metadata"
  | "requiredLabels"
  | "optionalLabels"
  | "requiredResources"
  | "optionalResources"
  | "requiredTraits"
  | "optionalTraits"
  | "handledResources"
> & {
  /** The transformer's `#transform` value. */
  readonly transform: CueValue;
  /** The transformer's `#Matches` value, when it has one. */
  readonly matches?: CueValue | undefined;
};

/**
 * Wraps a CUE transformer as a sdk Transformer, so it runs in the same `render` as TS ones:
 * `transform` unifies `#transform` with the component and context and exports `output`; a
 * `#Matches` becomes `matches`. The engine must stay open while it renders.
 */
export function cueTransformer(engine: CueEngine, parts: CueTransformerParts): Transformer {
  const { transform: transformValue, matches: matchesValue, ...declared } = parts;
  const transform = async (component: Component, context: TransformerContext): Promise<TransformOutput> => {
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
export async function evaluate(
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

// What a CUE transformer is given, as CUE source: the component in upstream's shape (metadata,
// spec, and the definitions under `#resources`, `#traits`, `#blueprints`, keyed by FQN) and the
// context inputs of `#TransformerContext` (`#moduleReleaseMetadata`, `#componentMetadata`), from
// which CUE derives the label sets exactly as the TS context does. JSON is valid CUE, so data
// goes in as JSON text; only the definition labels are written as CUE.
const json = (value: unknown): string => JSON.stringify(value);

function definitions(record: Readonly<Record<string, { readonly metadata: DefinitionMetadata }>>): string {
  return json(Object.fromEntries(Object.entries(record).map(([fqn, d]) => [fqn, { metadata: d.metadata }])));
}

/** The component as CUE source: `{metadata: ..., spec: ..., #resources: ..., ...}`. */
export function componentSource(component: Component): string {
  const { name, labels, annotations } = component.metadata;
  return `{
	metadata: ${json({ name, labels, annotations })}
	spec: ${json(component.spec)}
	#resources: ${definitions(component.resources)}
	#traits: ${definitions(component.traits)}
	#blueprints: ${definitions(component.blueprints)}
}`;
}

/** The inputs of `#TransformerContext` as CUE source; `#naming` only when it is not the default. */
export function contextSource(context: TransformerContext): string {
  const { release, component } = context;
  const naming = context.naming === "release-prefixed" ? `\n\t#naming: ${json(context.naming)}` : "";
  return `{
	#moduleReleaseMetadata: ${json(release)}
	#componentMetadata: ${json(component)}${naming}
}`;
}

/** The argument of a `#transform`: the component and the context. */
export function transformInputSource(component: Component, context: TransformerContext): string {
  return `#component: ${componentSource(component)}\n#context: ${contextSource(context)}\n`;
}

/** The argument of a `#Matches` predicate: the component. */
export function matchInputSource(component: Component): string {
  return `component: ${componentSource(component)}\n`;
}
