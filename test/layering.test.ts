// The layering of architecture.md section 2 is enforced by the lint configuration; these cases
// prove the rules bite (and do not bite where imports are allowed).
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: new URL("..", import.meta.url).pathname });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe("layering lint", () => {
  it.each([
    ["sdk/render/x.ts", 'import { runCli } from "../../cli/main.ts";\nexport const a = runCli;\n'],
    ["sdk/x.ts", 'import { a } from "../dsl/index.ts";\nexport const b = a;\n'],
    ["sdk/x.ts", 'import { a } from "../providers/kubernetes/index.ts";\nexport const b = a;\n'],
    ["dsl/x.ts", 'import { a } from "../bridge/index.ts";\nexport const b = a;\n'],
    ["bridge/x.ts", 'import { a } from "../catalog/index.ts";\nexport const b = a;\n'],
    ["providers/kubernetes/x.ts", 'import { a } from "../../cli/main.ts";\nexport const b = a;\n'],
    ["sdk/x.ts", 'import { a } from "@opm/sdk/dsl";\nexport const b = a;\n'],
  ])("rejects %s importing across layers", async (file, code) => {
    expect(await ruleIds(file, code)).toContain("no-restricted-imports");
  });

  it.each([
    ["dsl/x.ts", 'import { a } from "../sdk/index.ts";\nexport const b = a;\n'],
    ["providers/kubernetes/x.ts", 'import { a } from "../../sdk/index.ts";\nexport const b = a;\n'],
    ["cli/x.ts", 'import { a } from "../providers/kubernetes/index.ts";\nexport const b = a;\n'],
    ["sdk/render/x.ts", 'import { a } from "../ir/index.ts";\nexport const b = a;\n'],
  ])("allows %s importing downwards", async (file, code) => {
    expect(await ruleIds(file, code)).toEqual([]);
  });

  it.each([
    ["sdk/x.ts", 'console.log("x");\n', "no-console"],
    ["bridge/x.ts", "export const home = process.env.HOME;\n", "no-restricted-properties"],
    ["dsl/x.ts", "process.exit(1);\n", "no-restricted-properties"],
  ])("keeps IO out of the pure core: %s", async (file, code, rule) => {
    expect(await ruleIds(file, code)).toContain(rule);
  });
});
