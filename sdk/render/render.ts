// The render pipeline: values -> release -> expand blueprints -> match -> transform -> order.
// Pure: no IO, no clock, no randomness; the same input gives byte-identical output. User
// problems come back in `errors` (collect-then-report); render throws only on programming errors.
import { OpmError, type OpmWarning } from "../errors.ts";
import type { Component } from "../ir/component.ts";
import type { Module, ModuleRelease, ModuleReleaseMetadata, Policy } from "../ir/module.ts";
import type { ComponentMatcher, Provider } from "../ir/transformer.ts";
import { layerValues, validateValues } from "../values/layer.ts";
import type { SetInput } from "../values/set.ts";
import type { ValuesSource } from "../values/sources.ts";
import { canonicalize } from "./canonical.ts";
import { buildContext, type NamingMode } from "./context.ts";
import { runTransformer, type RenderedObject } from "./execute.ts";
import { expandComponent } from "./expand.ts";
import { matchComponents, type MatchPlan } from "./match.ts";
import {
  checkPolicies,
  planPolicies,
  renderPolicyObjects,
  type PolicyRuleResult,
  type PolicyTarget,
  type SourcedPolicy,
} from "./policies.ts";
import { objectKey, refOf } from "../identity/objects.ts";
import { compareObjects } from "./order.ts";
import { applyObjectPatches } from "./patch.ts";
import { buildRelease } from "./release.ts";
import { planStages, type ComponentDependency, type StagePlan } from "./stages.ts";
import { EMPTY_WIRING, type ExternalProvision, type WiringPlan } from "./interfaces.ts";

// Optional fields also accept `undefined`, so a CLI can pass its flags through unchanged.
/**
 * What {@link render} (and `plan`) need: the module, the provider whose transformers render it, and
 * everything the caller decides about the release.
 */
export interface RenderOptions {
  /** The module to render, from `defineModule`, the TS loader or the CUE bridge. */
  readonly module: Module;
  /** The provider whose transformers turn the components into objects. */
  readonly provider: Provider;
  /** Release name. @default the module name */
  readonly name?: string | undefined;
  /** Target namespace. @default the module's `defaultNamespace`, else `default` */
  readonly namespace?: string | undefined;
  /** `-f` values sources, in order (later wins). */
  readonly values?: readonly ValuesSource[] | undefined;
  /** `--set`-family expressions (a string is a `--set` one), applied after all files, in order. */
  readonly set?: readonly (string | SetInput)[] | undefined;
  /** Unhandled traits become errors instead of warnings. @default false */
  readonly strict?: boolean | undefined;
  /** Output naming (docs/architecture.md, decision 7). @default the module's `metadata.naming`, else "component" */
  readonly naming?: NamingMode | undefined;
  /**
   * Decides matches for transformers without their own `matches` predicate (docs/render-pipeline.md,
   * "Matching"). @default the all-of rule, `matchRequirements`
   */
  readonly matcher?: ComponentMatcher | undefined;
  /**
   * Platform policies (docs/policies.md), enforced on every module beside its own `policies`.
   * @default none
   */
  readonly policies?: readonly Policy[] | undefined;
  /**
   * Interfaces other releases in the namespace provide (docs/interfaces.md), which the caller
   * read from the cluster (`provisionsFromConfigMaps`); requirements no component of the module
   * fulfils are wired to them. Undefined when no cluster was consulted. @default undefined
   */
  readonly provisions?: readonly ExternalProvision[] | undefined;
}

/**
 * Everything a render found, collected rather than thrown: the plan (matching, policies, wiring),
 * the objects and how they are staged, and every warning and error.
 */
export interface RenderResult extends PlanResult {
  /**
   * In weight order: weight, group, kind, namespace, name; each carries its `stage`. Keys in
   * canonical order. A cluster applies them stage by stage (`stages`), in this order within one.
   */
  readonly resources: readonly RenderedObject[];
  /** Which objects wait for which (docs/staged-apply.md); one stage when nothing waits. */
  readonly stages: StagePlan;
  /** Every rule of every policy: the components it applies to and its violations. */
  readonly policies: readonly PolicyRuleResult[];
  /** Every problem found; when non-empty, `resources` must not be applied. */
  readonly errors: readonly OpmError[];
}

const EMPTY_PLAN: MatchPlan = { components: [], unmatched: [] };

/** What `plan` found: the match plan, with everything before transformation checked. */
export interface PlanResult {
  /** Which transformer matches which component and why, and what nothing matches. */
  readonly matchPlan: MatchPlan;
  /** Every rule of every policy with the components it applies to (nothing checked yet). */
  readonly policies: readonly PolicyRuleResult[];
  /** What the release provides and how each interface it requires is wired. */
  readonly wiring: WiringPlan;
  /** Non-fatal findings so far. */
  readonly warnings: readonly OpmWarning[];
  /** Every problem found before transformation. */
  readonly errors: readonly OpmError[];
  /** Absent when values or names were invalid. */
  readonly release?: ModuleReleaseMetadata;
  /** The validated values the release was built from. */
  readonly values?: unknown;
}

interface Prepared extends PlanResult {
  readonly releaseIR?: ModuleRelease;
  /** Expanded, valid components, in match plan order. */
  readonly components: readonly Component[];
  readonly sourcedPolicies: readonly SourcedPolicy[];
}

/** Values, release, blueprint expansion and matching: everything but the transformers. */
async function prepare(options: RenderOptions): Promise<Prepared> {
  const { module, provider } = options;
  const layered = layerValues({
    defaults: module.values,
    locateDefault: module.locateValue,
    files: options.values,
    set: options.set,
  });
  if (layered.layered === undefined) return notPrepared(layered.errors);
  const checked = await validateValues(module.config, layered.layered);
  if (checked.errors.length > 0) return notPrepared(checked.errors);

  const built = await buildRelease(module, checked.values, {
    name: options.name,
    namespace: options.namespace,
    naming: options.naming,
    provisions: options.provisions,
  });
  if (built.release === undefined) return notPrepared(built.errors, built.wiring);
  const release = built.release;
  const errors: OpmError[] = [...built.errors];
  const warnings: OpmWarning[] = [];

  const components: Component[] = [];
  for (const component of Object.values(release.components)) {
    const expanded = expandComponent(component);
    errors.push(...expanded.errors);
    // An invalid component is reported once, not again by every transformer it would confuse.
    if (expanded.errors.length === 0) components.push(expanded.component);
  }
  const matched = await matchComponents(components, provider, {
    matcher: options.matcher,
    locate: module.locateComponent,
  });
  errors.push(...matched.errors);
  for (const match of matched.plan.components) {
    for (const trait of match.unhandledTraits) {
      const message = `component ${match.component}: unhandled trait ${trait}`;
      const details = { component: match.component, trait };
      if (options.strict === true) {
        errors.push(
          new OpmError("UnhandledTrait", {
            message,
            hint: "remove the trait, or use a provider with a transformer that handles it",
            details,
          }),
        );
      } else warnings.push({ code: "OPM3002", message, details });
    }
  }
  const sourcedPolicies = policiesOf(release, options.policies);
  const policyPlan = planPolicies(sourcedPolicies, components, provider);
  return {
    matchPlan: matched.plan,
    policies: policyPlan.results,
    wiring: built.wiring,
    sourcedPolicies,
    warnings,
    errors,
    release: release.metadata,
    values: checked.values,
    releaseIR: release,
    components,
  };
}

/**
 * Checks values, builds the release and matches components to transformers without running
 * any transformer: what `opm mod build --verbose` explains and `vet` validates.
 */
export async function plan(options: RenderOptions): Promise<PlanResult> {
  const {
    releaseIR: _release,
    components: _components,
    sourcedPolicies: _policies,
    ...result
  } = await prepare(options);
  const warnings = [...result.warnings, ...planPolicies(_policies, _components, options.provider).warnings];
  return { ...result, warnings };
}

/**
 * Renders a module to ordered platform objects: values layered and checked, components
 * matched to the provider's transformers, objects produced, validated and sorted. Problems come
 * back in `errors` (with codes and positions), never as a half-rendered result.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { render } from "@opm/sdk";
 * import { Container } from "@opm/sdk/catalog";
 * import { component, defineModule, workloadType, z } from "@opm/sdk/dsl";
 * import { kubernetesProvider } from "@opm/sdk/providers/kubernetes";
 *
 * const module = defineModule({
 *   metadata: { apiVersion: "example.com/hello@v0", name: "hello", version: "0.1.0" },
 *   config: z.object({ image: z.string() }),
 *   values: { image: "nginx:1.27" },
 *   components: (cfg) => ({
 *     web: component(workloadType("stateless"), Container({ name: "web", image: cfg.image })),
 *   }),
 * });
 * const result = await render({ module, provider: kubernetesProvider, namespace: "web" });
 * assert.deepEqual(result.errors, []);
 * assert.deepEqual(
 *   result.resources.map((r) => `${r.object.kind}/${r.object.metadata?.namespace}/${r.object.metadata?.name}`),
 *   ["Deployment/web/web"],
 * );
 * ```
 */
export async function render(options: RenderOptions): Promise<RenderResult> {
  const prepared = await prepare(options);
  const release = prepared.releaseIR;
  if (release === undefined) return failed(prepared.errors, prepared.wiring);
  const errors: OpmError[] = [...prepared.errors];
  const rendered: RenderedObject[] = [];
  const targets: PolicyTarget[] = [];
  for (const [index, match] of prepared.matchPlan.components.entries()) {
    if (match.matched.length === 0) continue;
    const component = prepared.components[index]!;
    const { context, errors: contextErrors } = buildContext(
      release,
      component,
      options.naming ?? release.module.naming,
    );
    errors.push(...contextErrors);
    if (context === undefined) continue;
    targets.push({ component, context });
    for (const fqn of match.matched) {
      const outcome = await runTransformer(options.provider.transformers[fqn]!, component, context);
      errors.push(...outcome.errors);
      rendered.push(...outcome.objects);
    }
  }
  const policyObjects = await renderPolicyObjects(prepared.sourcedPolicies, targets, options.provider);
  errors.push(...policyObjects.errors);
  rendered.push(...policyObjects.objects);
  // Patches apply to everything rendered, and policies check the patched result.
  const patched = applyObjectPatches(rendered, errors, options.module.locateComponent);
  const ordered = orderAndCheck(patched, errors);
  const staged = planStages(ordered, {
    namespace: release.metadata.namespace,
    dependencies: [
      ...componentDependencies(release, options.module),
      ...interfaceDependencies(release, prepared.wiring, options.module),
    ],
    components: Object.keys(release.components),
  });
  errors.push(...staged.errors);
  const resources = ordered.map((item, i) => ({ ...item, stage: staged.stageOf[i]! }));
  const enforced = await checkPolicies(
    prepared.sourcedPolicies,
    targets.map((t) => t.component),
    resources,
    options.provider,
    release.metadata,
    options.module.locateComponent,
  );
  errors.push(...enforced.errors);
  return {
    resources,
    stages: staged.plan,
    matchPlan: prepared.matchPlan,
    policies: enforced.results,
    wiring: prepared.wiring,
    warnings: [...prepared.warnings, ...enforced.warnings],
    errors,
    ...(prepared.release === undefined ? {} : { release: prepared.release }),
    ...(prepared.values === undefined ? {} : { values: prepared.values }),
  };
}

/** Every `dependsOn` of the release's components, positioned where the module writes it. */
function componentDependencies(release: ModuleRelease, module: Module): ComponentDependency[] {
  return Object.values(release.components).flatMap((component) => {
    const from = component.metadata.name;
    return (component.metadata.dependsOn ?? []).map((to): ComponentDependency => ({
      from,
      to,
      reason: "dependsOn",
      location: module.locateComponent?.(from, "dependsOn"),
    }));
  });
}

/**
 * Consumers of an interface after its provider, when both are components of the release (a
 * provider in another release is on the cluster already), positioned at the requirement.
 */
function interfaceDependencies(
  release: ModuleRelease,
  wiring: WiringPlan,
  module: Module,
): ComponentDependency[] {
  return wiring.wires
    .filter((w) => w.provider.release === undefined)
    .map((w) => ({
      from: w.component,
      to: w.provider.component,
      reason: "interface" as const,
      location:
        release.components[w.component]?.locations?.[`requires.${w.local}`] ??
        module.locateComponent?.(w.component),
    }));
}

/** Sorts, canonicalises key order, and reports objects emitted twice (naming both sources). */
function orderAndCheck(rendered: RenderedObject[], errors: OpmError[]): RenderedObject[] {
  const refs = rendered.map((item) => ({ item, ref: refOf(item.object) }));
  refs.sort((a, b) => compareObjects(a.ref, b.ref));
  const seen = new Map<string, RenderedObject>();
  const out: RenderedObject[] = [];
  for (const { item, ref } of refs) {
    const key = objectKey(ref);
    const first = seen.get(key);
    if (first !== undefined) {
      const where = ref.namespace === "" ? "" : ` in namespace ${ref.namespace}`;
      errors.push(
        new OpmError("DuplicateObject", {
          message:
            `${ref.kind} ${ref.name}${where} is emitted twice: by transformer ${first.transformer} for component ` +
            `${first.component} and by transformer ${item.transformer} for component ${item.component}`,
          hint: "rename one of the components (or volumes, config maps, secrets) so the names differ",
          details: {
            object: ref,
            sources: [first, item].map((s) => ({ component: s.component, transformer: s.transformer })),
          },
        }),
      );
      continue;
    }
    seen.set(key, item);
    out.push({ ...item, object: canonicalize(item.object) });
  }
  return out;
}

function notPrepared(errors: readonly OpmError[], wiring: WiringPlan = EMPTY_WIRING): Prepared {
  return {
    matchPlan: EMPTY_PLAN,
    policies: [],
    wiring,
    warnings: [],
    errors,
    components: [],
    sourcedPolicies: [],
  };
}

function failed(errors: readonly OpmError[], wiring: WiringPlan): RenderResult {
  return {
    resources: [],
    stages: { stages: [] },
    matchPlan: EMPTY_PLAN,
    policies: [],
    wiring,
    warnings: [],
    errors,
  };
}

/** The module's policies (by key order), then the platform's. */
function policiesOf(release: ModuleRelease, platform: readonly Policy[] | undefined): SourcedPolicy[] {
  return [
    ...Object.keys(release.policies)
      .sort()
      .map((key) => ({ policy: release.policies[key]!, source: "module" as const })),
    ...(platform ?? []).map((policy) => ({ policy, source: "platform" as const })),
  ];
}
