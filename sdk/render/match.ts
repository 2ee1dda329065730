// Matching components to transformers (docs/render-pipeline.md, "Matching"). The default rule
// is all-of: every required label (with its value), resource and trait must be present; optional
// ones never matter. A transformer's `matches` predicate, else a caller's `ComponentMatcher`,
// replaces that rule. Every component × transformer decision is recorded with its reason, so
// `--verbose` can explain it. Matching must never drop work silently: a resource no matched
// transformer renders (a Container with only a Service transformer matched) is an error.
import { OpmError, type SourceLocation } from "../errors.ts";
import type { Component } from "../ir/component.ts";
import type { ComponentMatcher, MatchVerdict, Provider, Transformer } from "../ir/transformer.ts";
import { messageOf } from "./release.ts";

/** What a component lacks of a transformer's requirements under the default all-of rule. */
export interface MissingRequirements {
  /** `key` when absent, `key (expected "a", got "b")` when the value differs. */
  readonly labels: readonly string[];
  /** FQNs of required resources the component does not have. */
  readonly resources: readonly string[];
  /** FQNs of required traits the component does not have. */
  readonly traits: readonly string[];
}

/** One component × transformer decision, with why, for `--verbose` and the match plan. */
export interface MatchDecision {
  /** The transformer's FQN. */
  readonly transformer: string;
  /** Whether the transformer renders the component. */
  readonly matched: boolean;
  /**
   * `requirements` (the default all-of rule), `predicate` (the transformer's own `matches` or
   * CUE `#Matches`) or `matcher` (the `ComponentMatcher` passed to render).
   */
  readonly rule: "requirements" | "predicate" | "matcher";
  /** Why, in words: the requirements met, what is missing, or the predicate's own reason. */
  readonly reason: string;
  /** What the component lacks of the requirements (empty lists when a predicate decided). */
  readonly missing: MissingRequirements;
}

/** How one component was matched. */
export interface ComponentMatch {
  /** The component's name. */
  readonly component: string;
  /** One decision per transformer, in transformer FQN order. */
  readonly decisions: readonly MatchDecision[];
  /** FQNs of the transformers that matched. */
  readonly matched: readonly string[];
  /** Traits of the component that no matched transformer requires or accepts. */
  readonly unhandledTraits: readonly string[];
  /** Resources of the component that no matched transformer renders (each one an error). */
  readonly unhandledResources: readonly string[];
}

/** The outcome of matching every component of a release against the provider's transformers. */
export interface MatchPlan {
  /** In component name order. */
  readonly components: readonly ComponentMatch[];
  /** Components no transformer matched (each also an error). */
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

/** The resources a transformer renders: its own list, else everything it requires or accepts. */
export function handledResourcesOf(transformer: Transformer): readonly string[] {
  return transformer.handledResources ?? [...transformer.requiredResources, ...transformer.optionalResources];
}

/**
 * The default rule (all-of on required labels, resources and traits) as a `MatchVerdict` with
 * its reason, for custom matchers that refine it rather than replace it.
 */
export function matchRequirements(
  component: Component,
  transformer: Transformer,
): MatchVerdict & { readonly missing: MissingRequirements } {
  const missing = checkRequirements(component, transformer);
  const matched = missing.labels.length + missing.resources.length + missing.traits.length === 0;
  const reason = matched ? describeRequirements(transformer) : describeMissing(missing);
  return { matched, reason, missing };
}

async function decide(
  component: Component,
  transformer: Transformer,
  matcher: ComponentMatcher | undefined,
  errors: OpmError[],
): Promise<MatchDecision> {
  const fqn = transformer.metadata.fqn;
  const custom =
    transformer.matches !== undefined
      ? { rule: "predicate" as const, run: () => transformer.matches!(component) }
      : matcher === undefined
        ? undefined
        : { rule: "matcher" as const, run: () => matcher(component, transformer) };
  if (custom !== undefined) {
    let verdict: MatchVerdict;
    try {
      const answer = await custom.run();
      verdict = typeof answer === "boolean" ? { matched: answer } : answer;
    } catch (cause) {
      errors.push(
        new OpmError("MatchFailed", {
          message: `component ${component.metadata.name}, transformer ${fqn}: match ${custom.rule} failed: ${messageOf(cause)}`,
          cause,
          details: { component: component.metadata.name, transformer: fqn },
        }),
      );
      verdict = { matched: false, reason: `${custom.rule} failed` };
    }
    const reason = `${verdict.matched ? "Matched" : "Not matched"}: ${custom.rule}${verdict.reason === undefined ? "" : `: ${verdict.reason}`}`;
    return { transformer: fqn, matched: verdict.matched, rule: custom.rule, reason, missing: NONE };
  }
  const verdict = matchRequirements(component, transformer);
  const reason = `${verdict.matched ? "Matched" : "Not matched"}: ${verdict.reason}`;
  return {
    transformer: fqn,
    matched: verdict.matched,
    rule: "requirements",
    reason,
    missing: verdict.missing,
  };
}

/** How `matchComponents` decides and reports: a custom matching rule and source positions. */
export interface MatchOptions {
  /** Decides for transformers without their own `matches`. @default the all-of rule */
  readonly matcher?: ComponentMatcher | undefined;
  /** Where a component is defined, for positioned errors. */
  readonly locate?: ((component: string) => SourceLocation | undefined) | undefined;
}

/** Builds the match plan of `components` (already expanded) against the provider. */
export async function matchComponents(
  components: readonly Component[],
  provider: Provider,
  options: MatchOptions = {},
): Promise<{ plan: MatchPlan; errors: OpmError[] }> {
  const errors: OpmError[] = [];
  const transformers = Object.keys(provider.transformers)
    .sort()
    .map((key) => provider.transformers[key]!);
  const matches: ComponentMatch[] = [];
  const unmatched: string[] = [];
  for (const component of components) {
    const name = component.metadata.name;
    const location = options.locate?.(name);
    const decisions: MatchDecision[] = [];
    for (const transformer of transformers)
      decisions.push(await decide(component, transformer, options.matcher, errors));
    const matchedTransformers = transformers.filter((_, i) => decisions[i]!.matched);
    const unhandledTraits = Object.keys(component.traits)
      .sort()
      .filter((trait) =>
        matchedTransformers.every(
          (t) => !t.requiredTraits.includes(trait) && !t.optionalTraits.includes(trait),
        ),
      );
    const unhandledResources =
      matchedTransformers.length === 0
        ? []
        : Object.keys(component.resources)
            .sort()
            .filter((resource) =>
              matchedTransformers.every((t) => !handledResourcesOf(t).includes(resource)),
            );
    matches.push({
      component: name,
      decisions,
      matched: matchedTransformers.map((t) => t.metadata.fqn),
      unhandledTraits: matchedTransformers.length === 0 ? [] : unhandledTraits,
      unhandledResources,
    });
    if (matchedTransformers.length === 0) {
      unmatched.push(name);
      errors.push(unmatchedError(name, transformers, decisions, location));
    }
    for (const resource of unhandledResources)
      errors.push(unhandledResourceError(name, resource, transformers, decisions, location));
  }
  return { plan: { components: matches, unmatched }, errors };
}

/**
 * A resource nothing renders: the matched transformers only read it. Names the transformers
 * that would render it and what each one is missing, so the fix is one look away.
 */
function unhandledResourceError(
  component: string,
  resource: string,
  transformers: readonly Transformer[],
  decisions: readonly MatchDecision[],
  location: SourceLocation | undefined,
): OpmError {
  const matched = transformers.filter((_, i) => decisions[i]!.matched).map((t) => t.metadata.fqn);
  const candidates = transformers
    .map((t, i) => ({ t, decision: decisions[i]! }))
    .filter(({ t, decision }) => !decision.matched && handledResourcesOf(t).includes(resource));
  const lines = candidates.map(({ t, decision }) => `  - ${t.metadata.fqn}: ${decision.reason}`);
  // Label values each candidate requires, by key: the usual fix is one of them.
  const labels = new Map<string, Set<string>>();
  for (const { t } of candidates)
    for (const [key, value] of Object.entries(t.requiredLabels))
      labels.set(key, (labels.get(key) ?? new Set()).add(value));
  const labelHint = [...labels].map(([key, values]) => `${key} (one of ${[...values].sort().join(", ")})`);
  const text =
    `component ${component}: resource ${resource} is rendered by no matched transformer ` +
    `(matched: ${matched.join(", ")}), so it would be dropped` +
    (lines.length === 0
      ? "; no transformer of the provider renders it"
      : `. Transformers that render it:\n${lines.join("\n")}`);
  return new OpmError("UnhandledResource", {
    message: text,
    location,
    hint:
      candidates.length === 0
        ? "remove the resource, or use a provider with a transformer that renders it"
        : labelHint.length > 0
          ? `add what one of the transformers above is missing, e.g. the label ${labelHint.join(" or ")} (workloadType(...) in TypeScript), or use a blueprint that sets it`
          : "add what one of the transformers above is missing",
    details: {
      component,
      resource,
      matched,
      candidates: candidates.map(({ t, decision }) => ({
        fqn: t.metadata.fqn,
        requiredLabels: t.requiredLabels,
        reason: decision.reason,
        missing: decision.missing,
      })),
    },
  });
}

function unmatchedError(
  component: string,
  transformers: readonly Transformer[],
  decisions: MatchDecision[],
  location: SourceLocation | undefined,
): OpmError {
  const lines = transformers.map((t, i) => {
    const rule = t.matches !== undefined ? "a match predicate" : describeRequirements(t);
    return `  - ${t.metadata.fqn}: requires ${rule} (${decisions[i]!.reason})`;
  });
  return new OpmError("UnmatchedComponent", {
    message: `component ${component}: no matching transformer. Available transformers:\n${lines.join("\n")}`,
    location,
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
