// Normalises a component before matching: expands its blueprints (adding their composed
// resources and traits, their labels, and the primitive specs their spec maps to) and computes
// the component's effective labels and annotations as the union of its own, its definitions'
// and `component.opmodel.dev/name`. Unlike upstream, blueprint labels DO reach the component,
// so a StatelessWorkload carries `core.opmodel.dev/workload-type: stateless` and matches; all
// but the blueprint's category, which describes the blueprint (a component's category comes
// from its traits, as upstream, and so does its pod selector).
import { OpmError } from "../errors.ts";
import { componentNameLabel, LabelKeys, unionLabels, type LabelSource } from "../identity/labels.ts";
import { brand } from "../ir/brand.ts";
import type { Component } from "../ir/component.ts";
import type { BlueprintDef, Labels, ResourceDef, TraitDef } from "../ir/definitions.ts";

/**
 * Normalises a component before matching: adds its blueprints' composed resources and traits, maps each
 * blueprint spec onto the primitive specs, and unions the labels and annotations of the component and its
 * definitions. A spec value the component and a blueprint set differently (OPM3006) or a label conflict
 * (OPM1006) comes back in `errors`.
 */
export function expandComponent(component: Component): { component: Component; errors: OpmError[] } {
  const errors: OpmError[] = [];
  const name = component.metadata.name;
  const resources: Record<string, ResourceDef> = { ...component.resources };
  const traits: Record<string, TraitDef> = { ...component.traits };
  const spec: Record<string, unknown> = { ...component.spec };

  for (const fqn of Object.keys(component.blueprints).sort()) {
    const blueprint = component.blueprints[fqn]!;
    for (const [key, def] of Object.entries(blueprint.composedResources)) resources[key] ??= def;
    for (const [key, def] of Object.entries(blueprint.composedTraits)) traits[key] ??= def;
    const blueprintSpec = component.spec[blueprint.specKey];
    if (!isRecord(blueprintSpec)) continue;
    for (const [key, value] of Object.entries(primitiveSpecs(blueprint, blueprintSpec))) {
      if (value === undefined) continue;
      const merged = unify(spec[key], value, `spec.${key}`);
      if (merged.conflict !== undefined) {
        errors.push(
          new OpmError("BlueprintConflict", {
            message: `component ${name}: ${merged.conflict} is set by the component and differently by blueprint ${fqn}`,
            hint: "set the value in one place: the blueprint's spec or the primitive's spec",
            details: { component: name, blueprint: fqn, path: merged.conflict },
          }),
        );
      } else {
        spec[key] = merged.value;
      }
    }
  }

  errors.push(...checkSpec(name, resources, traits, component.blueprints, spec));

  const definitions = [
    ...Object.values(resources).map((d) => ({ from: `resource ${d.metadata.fqn}`, meta: d.metadata })),
    ...Object.values(traits).map((d) => ({ from: `trait ${d.metadata.fqn}`, meta: d.metadata })),
    ...Object.values(component.blueprints).map((d) => ({
      from: `blueprint ${d.metadata.fqn}`,
      meta: { ...d.metadata, labels: withoutCategory(d.metadata.labels) },
    })),
  ];
  const labelSources: LabelSource[] = [
    { from: "the component", labels: component.metadata.labels },
    ...definitions.map((d) => ({ from: d.from, labels: d.meta.labels })),
    { from: "the module (component name)", labels: componentNameLabel(name) },
  ];
  const annotationSources: LabelSource[] = [
    { from: "the component", labels: component.metadata.annotations },
    ...definitions.map((d) => ({ from: d.from, labels: d.meta.annotations })),
  ];
  const labels = unionLabels(labelSources, `component ${name}`);
  const annotations = unionLabels(annotationSources, `component ${name} (annotations)`);
  errors.push(...labels.errors, ...annotations.errors);

  const expanded: Component = brand("Component", {
    kind: "Component",
    metadata: { name, labels: labels.labels, annotations: annotations.labels },
    resources,
    traits,
    blueprints: component.blueprints,
    spec,
  });
  return { component: expanded, errors };
}

/**
 * The spec is closed, as in CUE: each key must belong to one of the component's definitions.
 * Definitions that carry a schema also check their part of the spec.
 */
function checkSpec(
  name: string,
  resources: Readonly<Record<string, ResourceDef>>,
  traits: Readonly<Record<string, TraitDef>>,
  blueprints: Readonly<Record<string, BlueprintDef>>,
  spec: Readonly<Record<string, unknown>>,
): OpmError[] {
  const errors: OpmError[] = [];
  const definitions = [...Object.values(resources), ...Object.values(traits), ...Object.values(blueprints)];
  const allowed = new Set(definitions.map((d) => d.specKey));
  for (const key of Object.keys(spec).sort()) {
    if (allowed.has(key)) continue;
    errors.push(
      new OpmError("SpecNotAllowed", {
        message: `component ${name}: spec.${key} is not allowed: no resource, trait or blueprint of the component uses it`,
        hint: `add the definition whose spec key is "${key}" to the component, or remove spec.${key}`,
        details: { component: name, key, allowed: [...allowed].sort() },
      }),
    );
  }
  for (const definition of definitions) {
    const value = spec[definition.specKey];
    if (value === undefined || definition.schema?.validate === undefined) continue;
    for (const issue of definition.schema.validate(value)) {
      const path = [definition.specKey, ...issue.path].join(".");
      errors.push(
        new OpmError("InvalidSpec", {
          message: `component ${name}: spec.${path}: ${issue.message}`,
          details: {
            component: name,
            definition: definition.metadata.fqn,
            path: [definition.specKey, ...issue.path],
          },
        }),
      );
    }
  }
  return errors;
}

function primitiveSpecs(
  blueprint: BlueprintDef,
  blueprintSpec: Record<string, unknown>,
): Record<string, unknown> {
  if (blueprint.expand !== undefined) return blueprint.expand(blueprintSpec);
  const keys = new Set(
    [...Object.values(blueprint.composedResources), ...Object.values(blueprint.composedTraits)].map(
      (d) => d.specKey,
    ),
  );
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(blueprintSpec)) if (keys.has(key)) out[key] = value;
  return out;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** CUE-like unification of plain data: maps merge, everything else must be equal. */
function unify(a: unknown, b: unknown, path: string): { value?: unknown; conflict?: string } {
  if (a === undefined) return { value: b };
  if (b === undefined) return { value: a };
  if (isRecord(a) && isRecord(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [key, value] of Object.entries(b)) {
      const merged = unify(a[key], value, `${path}.${key}`);
      if (merged.conflict !== undefined) return merged;
      out[key] = merged.value;
    }
    return { value: out };
  }
  return JSON.stringify(a) === JSON.stringify(b) ? { value: a } : { conflict: path };
}

function withoutCategory(labels: Labels | undefined): Labels | undefined {
  if (labels === undefined || !(LabelKeys.category in labels)) return labels;
  const { [LabelKeys.category]: _category, ...rest } = labels;
  return rest;
}
