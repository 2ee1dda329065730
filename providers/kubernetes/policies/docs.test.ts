// docs/policies.md lists the rule library; this keeps that table in step with the code: every
// policy rule of the catalog has a row (and no row names a rule the catalog lacks), each row's
// default enforcement is the rule's, and the provider column says "checks" or "renders" exactly
// for the rules the Kubernetes provider implements that way.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as catalog from "../../../catalog/index.ts";
import { isPolicyRule } from "../../../sdk/index.ts";
import { kubernetesPolicyRules } from "./index.ts";

const doc = readFileSync(new URL("../../../docs/policies.md", import.meta.url), "utf8");
const table = doc.slice(doc.indexOf("<!-- rules:start -->"), doc.indexOf("<!-- rules:end -->"));
const rows = table
  .split("\n")
  .filter((line) => line.startsWith("| `"))
  .map((line) => {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    return { fqn: cells[1]!.replaceAll("`", ""), enforcement: cells[3]!, provider: cells[5]! };
  });
const rules = Object.values(catalog).filter(isPolicyRule);

describe("docs/policies.md", () => {
  it("lists every policy rule of the catalog, and nothing else", () => {
    expect(rows.map((r) => r.fqn).sort()).toEqual(rules.map((r) => r.metadata.fqn).sort());
  });

  it("states each rule's default enforcement and how the Kubernetes provider enforces it", () => {
    for (const rule of rules) {
      const row = rows.find((r) => r.fqn === rule.metadata.fqn)!;
      expect(row.enforcement, rule.metadata.fqn).toBe(rule.enforcement.onViolation);
      const implementation = kubernetesPolicyRules[rule.metadata.fqn];
      const expected =
        implementation === undefined
          ? "not enforced (warning OPM3102)"
          : implementation.render !== undefined
            ? "renders NetworkPolicy"
            : "checks";
      expect(row.provider, rule.metadata.fqn).toBe(expected);
    }
  });

  it("is linked from the README", () => {
    expect(readFileSync(new URL("../../../README.md", import.meta.url), "utf8")).toContain(
      "docs/policies.md",
    );
  });
});
