// Small IR builders for the render pipeline's tests: components with a container, a module, and
// two transformers (a Deployment for stateless workloads, a Service for Expose) in a provider.
import { fqnOf, moduleIdentity, moduleLabels } from "../../index.ts";
import type { Component } from "../../ir/component.ts";
import type { ResourceDef, TraitDef } from "../../ir/definitions.ts";
import type { Module } from "../../ir/module.ts";
import type { Provider, Transformer, TransformerContext } from "../../ir/transformer.ts";

export const CONTAINER = "example.com/res@v0#Container";
export const EXPOSE = "example.com/traits@v0#Expose";
export const EXTRA = "example.com/traits@v0#Extra";
export const WT = "core.opmodel.dev/workload-type";

export const res = (fqn: string, specKey: string): ResourceDef => ({
  kind: "Resource",
  metadata: { apiVersion: fqn.split("#")[0]!, name: specKey, fqn },
  specKey,
});
export const trait = (fqn: string, specKey: string): TraitDef => ({
  kind: "Trait",
  metadata: { apiVersion: fqn.split("#")[0]!, name: specKey, fqn },
  specKey,
  appliesTo: [CONTAINER],
});

export function comp(
  name: string,
  labels: Record<string, string>,
  traits: string[] = [],
  spec = {},
): Component {
  return {
    kind: "Component",
    metadata: { name, labels, annotations: {} },
    resources: { [CONTAINER]: res(CONTAINER, "container") },
    traits: Object.fromEntries(traits.map((t) => [t, trait(t, t.split("#")[1]!.toLowerCase())])),
    blueprints: {},
    spec: { container: { image: "x" }, ...spec },
  };
}

export function mod(components: Module["components"], extra: Partial<Module> = {}): Module {
  const fqn = fqnOf("example.com/m@v0", "shop");
  const identity = moduleIdentity(fqn, "1.0.0");
  return {
    kind: "Module",
    metadata: {
      apiVersion: "example.com/m@v0",
      name: "shop",
      version: "1.0.0",
      fqn,
      identity,
      labels: moduleLabels("shop", "1.0.0", identity),
      annotations: {},
    },
    components,
    policies: {},
    values: {},
    ...extra,
  };
}

export function transformer(name: string, init: Partial<Transformer>): Transformer {
  return {
    kind: "Transformer",
    metadata: {
      apiVersion: "example.com/t@v0",
      name,
      fqn: fqnOf("example.com/t@v0", name),
      description: name,
    },
    requiredLabels: {},
    optionalLabels: {},
    requiredResources: [],
    optionalResources: [],
    requiredTraits: [],
    optionalTraits: [],
    transform: () => undefined,
    ...init,
  };
}

export const obj = (kind: string, name: string, ctx: TransformerContext, apiVersion = "apps/v1") => ({
  apiVersion,
  kind,
  metadata: { name: ctx.objectName(name), namespace: ctx.release.namespace, labels: ctx.labels },
});

export const deployment = transformer("deployment", {
  requiredLabels: { [WT]: "stateless" },
  requiredResources: [CONTAINER],
  transform: (c, ctx) => obj("Deployment", c.metadata.name, ctx),
});
export const service = transformer("service", {
  requiredResources: [CONTAINER],
  requiredTraits: [EXPOSE],
  handledResources: [],
  // An async transformer that returns a list.
  transform: async (c, ctx) => [obj("Service", c.metadata.name, ctx, "v1")],
});
export const provider: Provider = {
  kind: "Provider",
  metadata: { name: "test", description: "", version: "1.0.0", minVersion: "1.0.0", labels: {} },
  transformers: { [deployment.metadata.fqn]: deployment, [service.metadata.fqn]: service },
};
