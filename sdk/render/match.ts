// Matching components to transformers (docs/architecture.md). The default rule
// is all-of: every required label (with its value), resource and trait must be present; optional
// ones never matter. A transformer's `matches` predicate replaces that rule. Every
// component × transformer decision is recorded with its reason, so `--verbose` can explain it.
import { OpmError } from "../errors.ts";
import type { Component } from "../ir/component.ts";
import type { MatchVerdict, Provider, Transformer } from "../ir/transformer.ts";
import { messageOf } from "./release.ts";

export interface MissingRequirements {
  /** `key` when absent, `key (expected "a", got "b")` when the value differs. */
  readonly labels: readonly string[];
  readonly resources: readonly string[];
  readonly traits: readonly string[];
}

export interface MatchDecision {
  readonly transformer: string;
  readonly matched: boolean;
  /** `requirements` (the all-of rule) or `predicate` (the transformer's `matches`). */
  readonly rule: "requirements" | "predicate";
  readonly reason: string;
  readonly missing: MissingRequirements;
}

export interface ComponentMatch {
  readonly component: string;
  /** One decision per transformer, in transformer FQN order. */
  readonly decisions: readonly MatchDecision[];
  /** FQNs of the transformers that matched. */
  readonly matched: readonly string[];
  /** Traits of the component that no matched transformer requires or accepts. */
  readonly unhandledTraits: readonly string[];
}

export interface MatchPlan {
  /** In component name order. */
  readonly components: readonly ComponentMatch[];
  readonly unmatched: readonly string[];
}

const NONE: MissingRequirements = { labels: [], resources: [], traits: [] };

function checkRequirements(component: Component, transformer: Transformer): MissingRequirements {
  const labels: string[] = [];
  for (const [key, expected] of Object.entries(transformer.requiredLabels)) {
    const actual = component.metadata.labels[key];
    if (actual === undefined) labels.push(key);
    else if (String(actual) !== expected)
      labels.push(`${key} (expected "${expected}", got "${String(actual)}")`);
  }
  const resources = transformer.requiredResources.filter((fqn) => !(fqn in component.resources));
  const traits = transformer.requiredTraits.filter((fqn) => !(fqn in component.traits));
  return { labels, resources, traits };
}

function describeRequirements(transformer: Transformer): string {
  const parts: string[] = [];
  const labels = Object.entries(transformer.requiredLabels).map(([k, v]) => `${k}=${v}`);
  if (labels.length > 0) parts.push(`requiredLabels[${labels.join(", ")}]`);
  if (transformer.requiredResources.length > 0)
    parts.push(`requiredResources[${transformer.requiredResources.join(", ")}]`);
  if (transformer.requiredTraits.length > 0)
    parts.push(`requiredTraits[${transformer.requiredTraits.join(", ")}]`);
  return parts.length > 0 ? parts.join(", ") : "no requirements";
}

function describeMissing(missing: MissingRequirements): string {
  const parts: string[] = [];
  if (missing.labels.length > 0) parts.push(`missing labels: ${missing.labels.join(", ")}`);
  if (missing.resources.length > 0) parts.push(`missing resources: ${missing.resources.join(", ")}`);
  if (missing.traits.length > 0) parts.push(`missing traits: ${missing.traits.join(", ")}`);
  return parts.join("; ");
}

async function decide(
  component: Component,
  transformer: Transformer,
  errors: OpmError[],
): Promise<MatchDecision> {
  const fqn = transformer.metadata.fqn;
  if (transformer.matches !== undefined) {
    let verdict: MatchVerdict;
    try {
      const answer = await transformer.matches(component);
      verdict = typeof answer === "boolean" ? { matched: answer } : answer;
    } catch (cause) {
      errors.push(
        new OpmError("MatchFailed", {
          message: `component ${component.metadata.name}, transformer ${fqn}: match predicate failed: ${messageOf(cause)}`,
          cause,
          details: { component: component.metadata.name, transformer: fqn },
        }),
      );
      verdict = { matched: false, reason: "predicate failed" };
    }
    const reason = `${verdict.matched ? "Matched" : "Not matched"}: predicate${verdict.reason === undefined ? "" : `: ${verdict.reason}`}`;
    return { transformer: fqn, matched: verdict.matched, rule: "predicate", reason, missing: NONE };
  }
  const missing = checkRequirements(component, transformer);
  const matched = missing.labels.length + missing.resources.length + missing.traits.length === 0;
  const reason = matched
    ? `Matched: ${describeRequirements(transformer)}`
    : `Not matched: ${describeMissing(missing)}`;
  return { transformer: fqn, matched, rule: "requirements", reason, missing };
}

/** Builds the match plan of `components` (already expanded) against the provider. */
export async function matchComponents(
  components: readonly Component[],
  provider: Provider,
): Promise<{ plan: MatchPlan; errors: OpmError[] }> {
  const errors: OpmError[] = [];
  const transformers = Object.keys(provider.transformers)
    .sort()
    .map((key) => provider.transformers[key]!);
  const matches: ComponentMatch[] = [];
  const unmatched: string[] = [];
  for (const component of components) {
    const decisions: MatchDecision[] = [];
    for (const transformer of transformers) decisions.push(await decide(component, transformer, errors));
    const matchedTransformers = transformers.filter((_, i) => decisions[i]!.matched);
    const unhandledTraits = Object.keys(component.traits)
      .sort()
      .filter((trait) =>
        matchedTransformers.every(
          (t) => !t.requiredTraits.includes(trait) && !t.optionalTraits.includes(trait),
        ),
      );
    matches.push({
      component: component.metadata.name,
      decisions,
      matched: matchedTransformers.map((t) => t.metadata.fqn),
      unhandledTraits: matchedTransformers.length === 0 ? [] : unhandledTraits,
    });
    if (matchedTransformers.length === 0) {
      unmatched.push(component.metadata.name);
      errors.push(unmatchedError(component.metadata.name, transformers, decisions));
    }
  }
  return { plan: { components: matches, unmatched }, errors };
}

function unmatchedError(
  component: string,
  transformers: readonly Transformer[],
  decisions: MatchDecision[],
): OpmError {
  const lines = transformers.map((t, i) => {
    const rule = t.matches !== undefined ? "a match predicate" : describeRequirements(t);
    return `  - ${t.metadata.fqn}: requires ${rule} (${decisions[i]!.reason})`;
  });
  return new OpmError("UnmatchedComponent", {
    message: `component ${component}: no matching transformer. Available transformers:\n${lines.join("\n")}`,
    hint: "add the labels, resources or traits one transformer requires (e.g. a workload-type label), or use a provider that handles this component",
    details: {
      component,
      transformers: transformers.map((t, i) => ({
        fqn: t.metadata.fqn,
        requiredLabels: t.requiredLabels,
        requiredResources: t.requiredResources,
        requiredTraits: t.requiredTraits,
        missing: decisions[i]!.missing,
      })),
    },
  });
}
