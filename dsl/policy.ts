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

export interface PolicyRulePart {
  readonly rule: PolicyRuleDef;
  readonly spec: unknown;
}

/** One rule of a policy with its spec: `rule(NetworkRulesPolicyRule, { ... })`. */
export function rule<R extends PolicyRule<string, unknown>>(definition: R, spec: SpecOf<R>): PolicyRulePart {
  return { rule: definition, spec };
}

export interface PolicyInit {
  /** Default: the key of the policy in the module's `policies`. */
  readonly name?: string;
  readonly labels?: Labels;
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

export interface PolicyDraft {
  readonly init: PolicyInit;
  readonly rules: readonly PolicyRulePart[];
}

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
