// Policies enforced at render (docs/policies.md): each policy selects components (by labels or
// names; all of them when it names neither), and each of its rules is checked on every selected
// component and the objects rendered for it. A rule's own check wins; else the provider's
// implementation of the rule's FQN. What a violation does is the policy's `onViolation`, else the
// rule's: `block` is a render error (the release is not rendered), `warn` a warning, `audit` only
// a record in the results. A rule nothing implements is a warning, never a silent pass.
import { OpmError, type OpmWarning, type SourceLocation } from "../errors.ts";
import { describeObject, refOf, type ObjectRef } from "../identity/objects.ts";
import type { Component } from "../ir/component.ts";
import type { PolicyRuleDef, ViolationAction } from "../ir/definitions.ts";
import type { ModuleReleaseMetadata, Policy } from "../ir/module.ts";
import type { PolicyRuleImplementation, PolicyViolation } from "../ir/policy.ts";
import type { Provider, TransformerContext } from "../ir/transformer.ts";
import { deepMerge } from "../values/merge.ts";
import { runTransformer, type RenderedObject } from "./execute.ts";
import { messageOf } from "./release.ts";

/** Where a policy comes from: the module's `policies`, or the platform's configuration. */
export type PolicySource = "module" | "platform";

/** A policy and where it comes from, as render takes them. */
export interface SourcedPolicy {
  /** The policy. */
  readonly policy: Policy;
  /** Where it comes from. */
  readonly source: PolicySource;
}

/** One violation as the results record it: the component, the object and the field at fault. */
export interface PolicyViolationRecord {
  /** The component at fault. */
  readonly component: string;
  /** The rendered object at fault, when the fault is in one. */
  readonly object?: ObjectRef;
  /** The field at fault, e.g. `spec.template.spec.containers[0].image`. */
  readonly field?: string;
  /** What is wrong. */
  readonly message: string;
}

/** What one rule of one policy found; the policy part of the plan. */
export interface PolicyRuleResult {
  /** The policy's name. */
  readonly policy: string;
  /** Where the policy comes from. */
  readonly source: PolicySource;
  /** The rule's FQN. */
  readonly rule: string;
  /** What a violation does: the policy's `onViolation`, else the rule's. */
  readonly onViolation: ViolationAction;
  /**
   * `rule`: the rule's own check; `provider`: the provider's implementation of the rule;
   * `none`: nothing enforces it (reported as a warning).
   */
  readonly enforcedBy: "rule" | "provider" | "none";
  /** The selected components, in name order. */
  readonly components: readonly string[];
  /** Empty when the rule holds, and in a plan (nothing was rendered to check). */
  readonly violations: readonly PolicyViolationRecord[];
}

/** A selected component with the context its objects were rendered in. */
export interface PolicyTarget {
  readonly component: Component;
  readonly context: TransformerContext;
}

function selects(policy: Policy, component: Component): boolean {
  const { matchLabels, components } = policy.appliesTo;
  if (matchLabels === undefined && components === undefined) return true;
  const name = component.metadata.name;
  if (components?.includes(name) === true) return true;
  if (matchLabels === undefined || Object.keys(matchLabels).length === 0) return false;
  return Object.entries(matchLabels).every(
    ([key, value]) =>
      String(component.metadata.labels[key] ?? "") === value && key in component.metadata.labels,
  );
}

/** The components a policy applies to, in the given (name) order. */
export function selectComponents<T extends { readonly component: Component }>(
  policy: Policy,
  targets: readonly T[],
): T[] {
  return targets.filter((t) => selects(policy, t.component));
}

function implementationOf(
  rule: PolicyRuleDef,
  provider: Provider,
): { enforcedBy: PolicyRuleResult["enforcedBy"]; implementation?: PolicyRuleImplementation } {
  if (rule.check !== undefined) return { enforcedBy: "rule", implementation: { check: rule.check } };
  const implementation = provider.policyRules?.[rule.metadata.fqn];
  return implementation === undefined ? { enforcedBy: "none" } : { enforcedBy: "provider", implementation };
}

/** Each rule of each policy with what enforces it, its action and its (defaulted) spec. */
function rulesOf(policies: readonly SourcedPolicy[], provider: Provider) {
  return policies.flatMap(({ policy, source }) =>
    Object.keys(policy.rules)
      .sort()
      .map((fqn) => {
        const rule = policy.rules[fqn]!;
        return {
          policy,
          source,
          rule,
          onViolation: policy.onViolation ?? rule.enforcement.onViolation,
          spec: deepMerge(rule.defaults, policy.spec[rule.specKey]),
          ...implementationOf(rule, provider),
        };
      }),
  );
}

/** The policy part of a plan: who each rule applies to and what enforces it, nothing checked. */
export function planPolicies(
  policies: readonly SourcedPolicy[],
  components: readonly Component[],
  provider: Provider,
): { results: PolicyRuleResult[]; warnings: OpmWarning[] } {
  const targets = components.map((component) => ({ component }));
  const results = rulesOf(policies, provider).map((r) => ({
    policy: r.policy.metadata.name,
    source: r.source,
    rule: r.rule.metadata.fqn,
    onViolation: r.onViolation,
    enforcedBy: r.enforcedBy,
    components: selectComponents(r.policy, targets).map((t) => t.component.metadata.name),
    violations: [],
  }));
  const warnings = results
    .filter((r) => r.enforcedBy === "none" && r.components.length > 0)
    .map((r): OpmWarning => ({
      code: "OPM3102",
      message: `policy ${r.policy}: rule ${r.rule} is not enforced: it has no check and provider has no implementation of it`,
      details: { policy: r.policy, source: r.source, rule: r.rule },
    }));
  return { results, warnings };
}

/** Objects the rules that produce objects (NetworkRules) render for their selected components. */
export async function renderPolicyObjects(
  policies: readonly SourcedPolicy[],
  targets: readonly PolicyTarget[],
  provider: Provider,
): Promise<{ objects: RenderedObject[]; errors: OpmError[] }> {
  const objects: RenderedObject[] = [];
  const errors: OpmError[] = [];
  for (const r of rulesOf(policies, provider)) {
    const render = r.implementation?.render;
    if (render === undefined) continue;
    for (const { component, context } of selectComponents(r.policy, targets)) {
      const outcome = await runTransformer(
        {
          metadata: { fqn: r.rule.metadata.fqn },
          transform: () => render({ component, context, spec: r.spec, policy: r.policy.metadata.name }),
        },
        component,
        context,
      );
      errors.push(...outcome.errors);
      objects.push(...outcome.objects);
    }
  }
  return { objects, errors };
}

/** What a check found, as the results, errors (block) and warnings (warn) report it. */
export interface PolicyOutcome {
  readonly results: PolicyRuleResult[];
  readonly errors: OpmError[];
  readonly warnings: OpmWarning[];
}

/** Runs every rule's check on its selected components and what was rendered for them. */
export async function checkPolicies(
  policies: readonly SourcedPolicy[],
  components: readonly Component[],
  rendered: readonly RenderedObject[],
  provider: Provider,
  release: ModuleReleaseMetadata,
  locate?: (component: string) => SourceLocation | undefined,
): Promise<PolicyOutcome> {
  const planned = planPolicies(policies, components, provider);
  const errors: OpmError[] = [];
  const warnings: OpmWarning[] = [...planned.warnings];
  const byName = new Map(components.map((c) => [c.metadata.name, c]));
  const rules = rulesOf(policies, provider);
  const results: PolicyRuleResult[] = [];
  for (const [index, r] of rules.entries()) {
    const plan = planned.results[index]!;
    const check = r.implementation?.check;
    const violations: PolicyViolationRecord[] = [];
    const specIssues = plan.components.length === 0 ? [] : (r.rule.schema?.validate?.(r.spec) ?? []);
    for (const issue of specIssues) {
      errors.push(
        new OpmError("InvalidSpec", {
          message: `policy ${plan.policy}: rule ${r.rule.metadata.name}: spec.${[r.rule.specKey, ...issue.path].join(".")}: ${issue.message}`,
          hint: `fix the policy's spec (the schema of ${r.rule.metadata.fqn})`,
          details: { policy: plan.policy, source: r.source, rule: plan.rule, path: issue.path },
        }),
      );
    }
    if (check !== undefined && specIssues.length === 0) {
      for (const name of plan.components) {
        const component = byName.get(name)!;
        const objects = rendered.filter((o) => o.component === name).map((o) => o.object);
        let found: readonly PolicyViolation[];
        try {
          found = await check({ component, objects, spec: r.spec, release });
        } catch (cause) {
          errors.push(
            new OpmError("PolicyCheckFailed", {
              message: `policy ${plan.policy}: rule ${r.rule.metadata.fqn} failed on component ${name}: ${messageOf(cause)}`,
              location: locate?.(name),
              cause,
              details: { policy: plan.policy, source: r.source, rule: plan.rule, component: name },
            }),
          );
          continue;
        }
        for (const violation of found) {
          const record: PolicyViolationRecord = {
            component: name,
            ...(violation.object === undefined ? {} : { object: refOf(violation.object) }),
            ...(violation.field === undefined ? {} : { field: violation.field }),
            message: violation.message,
          };
          violations.push(record);
          const message = describeViolation(plan, r.rule, record);
          const details = { ...plan, violations: undefined, components: undefined, ...record };
          if (r.onViolation === "block") {
            errors.push(
              new OpmError("PolicyViolation", {
                message,
                location: locate?.(name),
                hint: violation.hint ?? r.implementation?.hint,
                details: JSON.parse(JSON.stringify(details)) as Record<string, unknown>,
              }),
            );
          } else if (r.onViolation === "warn") {
            warnings.push({ code: "OPM3101", message, details: JSON.parse(JSON.stringify(details)) });
          }
        }
      }
    }
    results.push({ ...plan, violations });
  }
  return { results, errors, warnings };
}

/** `policy baseline rule no-latest-image: component web: Deployment web, field ...: ...`. */
function describeViolation(
  plan: PolicyRuleResult,
  rule: PolicyRuleDef,
  record: PolicyViolationRecord,
): string {
  const where = [
    `component ${record.component}`,
    ...(record.object === undefined ? [] : [describeObject(record.object)]),
    ...(record.field === undefined ? [] : [`field ${record.field}`]),
  ].join(", ");
  const origin = plan.source === "platform" ? "platform policy" : "policy";
  return `${origin} ${plan.policy} rule ${rule.metadata.name} (${plan.onViolation}): ${where}: ${record.message}`;
}
