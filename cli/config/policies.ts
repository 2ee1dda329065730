// Platform policies from the config file (`config.policies`, docs/policies.md): each names
// catalog rules by FQN with their specs. They become sdk Policies, enforced on every module
// beside the module's own. A rule the catalog does not have is an error positioned at its name
// in the config file.
import { brand, OpmError, type Policy, type PolicyRuleDef, type SourceLocation } from "../../sdk/index.ts";
import type { PlatformPolicyConfig } from "./schema.ts";

/** The catalog's policy rules by FQN (the catalog is loaded only when policies are configured). */
async function catalogRules(): Promise<ReadonlyMap<string, PolicyRuleDef>> {
  const catalog: Record<string, unknown> = await import("../../catalog/index.ts");
  const { isPolicyRule } = await import("../../sdk/index.ts");
  const rules = Object.values(catalog).filter(isPolicyRule);
  return new Map(rules.map((r) => [r.metadata.fqn, r]));
}

/** Where `text` first names `needle` (a quoted FQN), for a positioned error. */
function locate(file: string, text: string | undefined, needle: string): SourceLocation {
  const lines = (text ?? "").split("\n");
  for (const [index, line] of lines.entries()) {
    const column = line.indexOf(`"${needle}"`);
    if (column >= 0) return { file, line: index + 1, column: column + 1 };
  }
  return { file };
}

/**
 * The configured platform policies as sdk Policies, in name order; every unknown rule is
 * reported at once.
 */
export async function platformPolicies(
  configured: Readonly<Record<string, PlatformPolicyConfig>> | undefined,
  file: string,
  text?: string,
): Promise<Policy[]> {
  if (configured === undefined || Object.keys(configured).length === 0) return [];
  const known = await catalogRules();
  const problems: OpmError[] = [];
  const policies: Policy[] = [];
  for (const name of Object.keys(configured).sort()) {
    const entry = configured[name]!;
    const rules: Record<string, PolicyRuleDef> = {};
    const spec: Record<string, unknown> = {};
    for (const fqn of Object.keys(entry.rules).sort()) {
      const rule = known.get(fqn);
      if (rule === undefined) {
        problems.push(
          new OpmError("PolicyRuleUnknown", {
            message: `platform policy ${name}: the catalog has no policy rule ${fqn}`,
            location: locate(file, text, fqn),
            hint: `name a rule by its FQN: ${[...known.keys()].sort().join(", ")}`,
            details: { policy: name, rule: fqn },
          }),
        );
        continue;
      }
      rules[fqn] = rule;
      spec[rule.specKey] = entry.rules[fqn];
    }
    policies.push(
      brand("Policy", {
        kind: "Policy",
        metadata: { name },
        rules,
        appliesTo: entry.appliesTo ?? {},
        ...(entry.onViolation === undefined ? {} : { onViolation: entry.onViolation }),
        spec,
      }),
    );
  }
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) {
    const { ProblemList } = await import("../errors/problem-list.ts");
    throw new ProblemList(problems, `${problems.length} problems in the platform policies of ${file}`);
  }
  return policies;
}
