// A release moves from the upstream Go CLI to ours without recreating a workload: for every
// upstream-style acceptance module (bridge/testdata/upstream), with each of its values files,
// every object we render has the name and namespace upstream gives it, and every pod selector
// (workload selectors, pod template labels, Service selectors) holds exactly upstream's labels.
// A changed selector would make Kubernetes refuse the update of a Deployment, StatefulSet or
// DaemonSet (selectors are immutable) and a changed name would create a second copy.
//
// Upstream's rules, restated from its v0 catalog (core module.cue, component.cue and
// transformer.cue; the Kubernetes provider's transformers) and CLI, and computed here from the
// component alone, not from what we rendered:
// - names: workloads, Service, HorizontalPodAutoscaler and Ingress take the component's name; a
//   PersistentVolumeClaim its volume's name (default: the volume's key); a ConfigMap or Secret
//   its key; a ServiceAccount the workload identity's name. Every object is in the release's
//   namespace.
// - selectors = #TransformerContext.componentLabels = {"app.kubernetes.io/name": component} and
//   the component's labels (without transformer.opmodel.dev/*), which are
//   {"component.opmodel.dev/name": component} (core #Module), the labels the author or a
//   blueprint gave (core.opmodel.dev/workload-type), and the labels of the definitions it
//   embeds: core.opmodel.dev/category: workload on the workload traits listed below; Container,
//   Volumes, Expose and the network, config and security definitions carry none.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubernetesProvider } from "../../providers/kubernetes/index.ts";
import { expandComponent, render, type Component, type ValuesSource } from "../../sdk/index.ts";
import { ensureEngineBuilt } from "../__tests__/support.ts";
import { createCueEngine } from "../create.ts";
import type { CueEngine } from "../engine.ts";
import { UPSTREAM_MODULES, upstreamModuleDir, valuesVariants } from "./__tests__/upstream.ts";
import { loadCueModule } from "./load.ts";
import { cueValuesSource } from "./values.ts";

/** Upstream's workload traits, each labelled core.opmodel.dev/category: workload. */
const WORKLOAD_CATEGORY_TRAITS = new Set([
  "CronJobConfig",
  "HealthCheck",
  "InitContainers",
  "JobConfig",
  "RestartPolicy",
  "Scaling",
  "SidecarContainers",
  "Sizing",
  "UpdateStrategy",
]);

type Labels = Record<string, string>;
type K8sObject = {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
};

function upstreamSelector(component: Component): Labels {
  const name = component.metadata.name;
  const own = Object.entries(component.metadata.labels ?? {}).filter(
    ([key]) => !key.startsWith("transformer.opmodel.dev/") && key !== "core.opmodel.dev/category",
  );
  const category = Object.keys(component.traits).some((fqn) =>
    WORKLOAD_CATEGORY_TRAITS.has(fqn.slice(fqn.indexOf("#") + 1)),
  );
  return sorted({
    "app.kubernetes.io/name": name,
    "component.opmodel.dev/name": name,
    ...Object.fromEntries(own),
    ...(category ? { "core.opmodel.dev/category": "workload" } : {}),
  });
}

function sorted(labels: Labels): Labels {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

/** The names upstream gives the objects of `kind` a component renders. */
function upstreamNames(component: Component, kind: string, networkRules: readonly string[]): string[] {
  const spec = component.spec as Record<string, Record<string, Record<string, unknown>> | undefined>;
  switch (kind) {
    case "PersistentVolumeClaim":
      return Object.entries(spec["volumes"] ?? {})
        .filter(([, volume]) => volume["persistentClaim"] !== undefined)
        .map(([key, volume]) => String(volume["name"] ?? key));
    case "ConfigMap":
      return Object.keys(spec["configMaps"] ?? {});
    case "Secret":
      return Object.keys(spec["secrets"] ?? {});
    case "NetworkPolicy":
      // One per NetworkRules rule, named `<component>-<rule>` (providers/kubernetes/policies).
      return networkRules.map((rule) => `${component.metadata.name}-${rule}`);
    case "ServiceAccount":
      return [String((spec["workloadIdentity"] as Record<string, unknown> | undefined)?.["name"])];
    default:
      return [component.metadata.name];
  }
}

/** Every pod selector and pod label set an object carries, by where it is. */
function selectors(object: K8sObject): Record<string, unknown> {
  const spec = object.spec ?? {};
  const at = (...path: string[]): unknown =>
    path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], spec);
  switch (object.kind) {
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet":
      return {
        "spec.selector.matchLabels": at("selector", "matchLabels"),
        "spec.template.metadata.labels": at("template", "metadata", "labels"),
      };
    case "Job":
      return { "spec.template.metadata.labels": at("template", "metadata", "labels") };
    case "CronJob":
      return {
        "spec.jobTemplate.spec.template.metadata.labels": at(
          "jobTemplate",
          "spec",
          "template",
          "metadata",
          "labels",
        ),
      };
    case "Service":
      return { "spec.selector": at("selector") };
    default:
      return {};
  }
}

let engine: CueEngine;

beforeAll(() => {
  ensureEngineBuilt();
  engine = createCueEngine();
});

afterAll(async () => {
  await engine?.close();
});

async function valuesSource(dir: string, file: string): Promise<ValuesSource> {
  const text = readFileSync(join(dir, file), "utf8");
  return file.endsWith(".cue") ? cueValuesSource(engine, { name: file, text }) : { name: file, text };
}

describe.each(UPSTREAM_MODULES)("upstream-style module %s keeps upstream's identities", (name) => {
  const dir = upstreamModuleDir(name);
  it.each(valuesVariants(dir))("names, namespaces and selectors (%s)", async (variant) => {
    const { module, close } = await loadCueModule(dir, { engine });
    try {
      const values = variant === "no -f" ? [] : [await valuesSource(dir, variant)];
      const result = await render({ module, provider: kubernetesProvider, values });
      expect(result.errors.map(String)).toEqual([]);
      const built =
        typeof module.components === "function" ? await module.components(result.values) : module.components;
      const components = new Map(
        Object.values(built).map((c) => [c.metadata.name, expandComponent(c).component] as const),
      );
      const policies =
        typeof module.policies === "function" ? await module.policies(result.values) : module.policies;
      const networkRules = Object.values(policies).flatMap((p) =>
        Object.keys((p.spec["networkRules"] as Record<string, unknown> | undefined) ?? {}),
      );
      expect(result.resources.length).toBeGreaterThan(0);
      let workloads = 0;
      for (const { object, component: componentName } of result.resources) {
        const resource = object as unknown as K8sObject;
        const component = components.get(componentName)!;
        const where = `${resource.kind}/${resource.metadata.name} of ${componentName}`;
        expect(component, where).toBeDefined();
        expect(upstreamNames(component, resource.kind, networkRules), where).toContain(
          resource.metadata.name,
        );
        expect(resource.metadata.namespace, where).toBe(result.release!.namespace);
        const expected = upstreamSelector(component);
        for (const [path, labels] of Object.entries(selectors(resource))) {
          expect(sorted(labels as Labels), `${where}: ${path}`).toEqual(expected);
          workloads += 1;
        }
      }
      expect(workloads).toBeGreaterThan(0);
    } finally {
      await close();
    }
  });
});
