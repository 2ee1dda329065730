// What a CUE transformer is given, as CUE source: the component in upstream's shape (metadata,
// spec, and the definitions under `#resources`, `#traits`, `#blueprints`, keyed by FQN) and the
// context inputs of `#TransformerContext` (`#moduleReleaseMetadata`, `#componentMetadata`), from
// which CUE derives the label sets exactly as the TS context does. JSON is valid CUE, so data
// goes in as JSON text; only the definition labels are written as CUE.
import type { Component, DefinitionMetadata, TransformerContext } from "../../sdk/index.ts";

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

/** The inputs of `#TransformerContext` as CUE source. */
export function contextSource(context: TransformerContext): string {
  const { release, component } = context;
  return `{
	#moduleReleaseMetadata: ${json(release)}
	#componentMetadata: ${json(component)}
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
