// The transformer context: the release and component facts a transformer needs, plus the label
// sets every emitted object carries (docs/upstream-compatibility.md). Computed once per component.
import type { OpmError } from "../errors.ts";
import { checkLabel } from "../identity/names.ts";
import {
  controllerLabels,
  selectorLabels,
  stringifyLabels,
  unionLabels,
  withoutTransformerKeys,
} from "../identity/labels.ts";
import { brand } from "../ir/brand.ts";
import type { Component } from "../ir/component.ts";
import type { ModuleRelease, NamingMode } from "../ir/module.ts";
import type { TransformerContext } from "../ir/transformer.ts";

export type { NamingMode } from "../ir/module.ts";

/**
 * Computes what a transformer is told about the release and one component: names, the label and annotation
 * sets every emitted object carries, and how objects are named (`naming`). A label that two sources set
 * differently (OPM1006) or a value Kubernetes would reject (OPM1005) comes back in `errors`, and then no
 * context.
 */
export function buildContext(
  release: ModuleRelease,
  component: Component,
  naming: NamingMode | undefined = "component",
): { context?: TransformerContext; errors: OpmError[] } {
  const rel = release.metadata;
  const name = component.metadata.name;
  const ownLabels = stringifyLabels(component.metadata.labels);
  const ownAnnotations = stringifyLabels(component.metadata.annotations);
  const releaseLabels = stringifyLabels(rel.labels);
  const releaseAnnotations = stringifyLabels(rel.annotations);
  const prefixed = naming === "release-prefixed";
  // Prefixed objects and their selectors name the release, so a release's Service never selects
  // another release's pods of the same component (docs/upstream-compatibility.md).
  const instance = prefixed ? rel.name : undefined;
  const componentLabels = selectorLabels(name, ownLabels, instance);
  const componentAnnotations = withoutTransformerKeys(ownAnnotations);
  const controller = controllerLabels(name, rel.version, instance);

  const labels = unionLabels(
    [
      { from: "the release", labels: releaseLabels },
      { from: "the component", labels: componentLabels },
      { from: "the controller labels", labels: controller },
    ],
    `component ${name}`,
  );
  const annotations = unionLabels(
    [
      { from: "the release", labels: releaseAnnotations },
      { from: "the component", labels: componentAnnotations },
    ],
    `component ${name} (annotations)`,
  );
  const errors = [...labels.errors, ...annotations.errors];
  // Every emitted object carries these labels: catch a value Kubernetes would reject now, with
  // the component named, rather than at apply time.
  for (const [key, value] of Object.entries(labels.labels)) {
    const invalid = checkLabel(key, value, `component ${name}: label`);
    if (invalid !== undefined) errors.push(invalid);
  }
  if (errors.length > 0) return { errors };

  const prefix = prefixed ? `${rel.name}-` : "";
  const context: TransformerContext = brand("TransformerContext", {
    kind: "TransformerContext",
    release: {
      name: rel.name,
      namespace: rel.namespace,
      fqn: rel.fqn,
      version: rel.version,
      identity: rel.identity,
      labels: releaseLabels,
      annotations: releaseAnnotations,
    },
    component: { name, labels: ownLabels, annotations: ownAnnotations },
    componentLabels,
    componentAnnotations,
    controllerLabels: controller,
    labels: labels.labels,
    annotations: annotations.labels,
    naming: prefixed ? "release-prefixed" : "component",
    objectName: (base: string) => `${prefix}${base}`,
  });
  return { context, errors };
}
