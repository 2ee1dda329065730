// What enforcing a policy rule means in code: a check over what a component renders to (and the
// component itself) that reports violations, and, for rules that produce platform objects (the
// NetworkRules rule becomes NetworkPolicy objects), a render step. A rule definition may carry
// its own check (a rule written in TS or CUE); a provider implements the catalog's rules for its
// platform, keyed by rule FQN, as it implements transformers.
import type { Component } from "./component.ts";
import type { ModuleReleaseMetadata } from "./module.ts";
import type { PlatformObject, TransformOutput, TransformerContext } from "./transformer.ts";

/** What a rule's check sees: one selected component and everything rendered for it. */
export interface PolicyCheckInput {
  /** The component, blueprints expanded. */
  readonly component: Component;
  /** The objects rendered for the component, in apply order. */
  readonly objects: readonly PlatformObject[];
  /** The rule's spec in the policy, the rule's `defaults` filled in under it. */
  readonly spec: unknown;
  /** The release being rendered. */
  readonly release: ModuleReleaseMetadata;
}

/** One way a component breaks a rule. */
export interface PolicyViolation {
  /** What is wrong, without secret values: it is printed and recorded. */
  readonly message: string;
  /** The rendered object at fault (one of `objects`), when the fault is in one. */
  readonly object?: PlatformObject | undefined;
  /** The field at fault inside `object` (or the component spec), e.g. `spec.template.spec.containers[0].image`. */
  readonly field?: string | undefined;
  /** What to change; the rule's generic advice when absent. */
  readonly hint?: string | undefined;
}

/** A rule's check: every violation of one component, none when it complies. */
export type PolicyCheck = (
  input: PolicyCheckInput,
) => readonly PolicyViolation[] | Promise<readonly PolicyViolation[]>;

/** What a rule that produces objects is given: one selected component and its context. */
export interface PolicyRenderInput {
  /** The selected component, blueprints expanded. */
  readonly component: Component;
  /** Names and labels objects as transformers do. */
  readonly context: TransformerContext;
  /** The rule's spec in the policy, the rule's `defaults` filled in under it. */
  readonly spec: unknown;
  /** The policy's name. */
  readonly policy: string;
}

/** How a provider enforces one policy rule: a check, objects it renders, or both. */
export interface PolicyRuleImplementation {
  /** Reports the violations of one selected component. */
  readonly check?: PolicyCheck;
  /** Produces the objects the rule stands for (owned by the component, like transformer output). */
  readonly render?: (input: PolicyRenderInput) => TransformOutput | Promise<TransformOutput>;
  /** Said when a violation gives no hint of its own. */
  readonly hint?: string;
}
