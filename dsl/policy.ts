// Policies: rules (policy-rule definitions with their specs) applied to the components a label
// selector or a list of names picks, the TS counterpart of a CUE `#Policy`.
import {
  brand,
  type Labels,
  OpmError,
  type Policy,
  type PolicyRuleDef,
  type ViolationAction,
} from "../sdk/index.ts";
import type { PolicyRule, SpecOf } from "./definitions.ts";

/** One rule of a policy with its spec, as `rule(...)` makes it. */
export interface PolicyRulePart {
  /** The rule definition, e.g. the catalog's `NoLatestImagePolicyRule`. */
  readonly rule: PolicyRuleDef;
  /** The rule's settings; they become the policy's spec under the rule's spec key. */
  readonly spec: unknown;
}

/** One rule of a policy with its spec: `rule(NetworkRulesPolicyRule, { ... })`. */
export function rule<R extends PolicyRule<string, unknown>>(definition: R, spec: SpecOf<R>): PolicyRulePart {
  return { rule: definition, spec };
}

/**
 * What an author says about a policy beside its rules: its name, what it selects and what a
 * violation does.
 */
export interface PolicyInit {
  /** Default: the key of the policy in the module's `policies`. */
  readonly name?: string;
  /** The policy's labels. */
  readonly labels?: Labels;
  /** The policy's annotations. */
  readonly annotations?: Labels;
  /** Selects components by labels or by name (either suffices); `{}` selects every component. */
  readonly appliesTo: {
    readonly matchLabels?: Readonly<Record<string, string>>;
    /** Component names. */
    readonly components?: readonly string[];
  };
  /** What a violation of any of the rules does, instead of each rule's own `onViolation`. */
  readonly onViolation?: ViolationAction;
}

/** A policy before the module names it: what `policy(...)` returns and a module's `policies` holds. */
export interface PolicyDraft {
  /** What the author said about the policy. */
  readonly init: PolicyInit;
  /** Its rules in the order given. */
  readonly rules: readonly PolicyRulePart[];
}

/**
 * Builds a policy for a module's `policies` from what it selects and its rules (docs/policies.md).
 * A rule given twice is an OpmError OPM8001 when the module is defined.
 *
 * Example: `policy({ appliesTo: { matchLabels: { tier: "web" } } }, rule(NoLatestImagePolicyRule,
 * {}))`.
 */
export function policy(init: PolicyInit, ...rules: PolicyRulePart[]): PolicyDraft {
  return { init, rules };
}

export function toPolicy(draft: PolicyDraft, key: string): Policy {
  const name = draft.init.name ?? key;
  const rules: Record<string, PolicyRuleDef> = {};
  const spec: Record<string, unknown> = {};
  for (const { rule: definition, spec: ruleSpec } of draft.rules) {
    if (definition.specKey in spec) {
      throw new OpmError("DuplicateSpec", {
        message: `policy ${name}: rule ${definition.metadata.fqn} is given twice`,
      });
    }
    rules[definition.metadata.fqn] = definition;
    spec[definition.specKey] = ruleSpec;
  }
  const { labels, annotations, appliesTo, onViolation } = draft.init;
  return brand("Policy", {
    kind: "Policy",
    metadata: {
      name,
      ...(labels === undefined ? {} : { labels }),
      ...(annotations === undefined ? {} : { annotations }),
    },
    rules,
    appliesTo,
    ...(onViolation === undefined ? {} : { onViolation }),
    spec,
  });
}
