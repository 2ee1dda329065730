// The layering of docs/architecture.md, "Layers" is enforced by the lint configuration; these cases
// prove the rules bite (and do not bite where imports are allowed).
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The cases lint made-up files (`x.ts`) that exist in no tsconfig; the type-aware rules need a
// program for them, which the project service's default project gives.
const eslint = new ESLint({
  cwd: new URL("..", import.meta.url).pathname,
  overrideConfig: {
    files: ["**/x.ts"],
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ["*/x.ts", "*/*/x.ts", "*/*/*/x.ts"] } },
    },
  },
});

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
    ["providers/kubernetes/x.ts", 'import { a } from "../../bridge/index.ts";\nexport const b = a;\n'],
    ["dsl/x.ts", 'import { a } from "../catalog/index.ts";\nexport const b = a;\n'],
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
    [
      "providers/kubernetes/cluster/x.ts",
      "export const home = process.env.HOME;\n",
      "no-restricted-properties",
    ],
    ["testenv/x.ts", 'console.error("x");\n', "no-console"],
  ])("keeps IO out of the pure core: %s", async (file, code, rule) => {
    expect(await ruleIds(file, code)).toContain(rule);
  });

  it("rejects a promise nobody awaits (type-aware)", async () => {
    const code = "async function work(): Promise<void> {}\nexport function run(): void {\n  work();\n}\n";
    expect(await ruleIds("sdk/render/x.ts", code)).toContain("@typescript-eslint/no-floating-promises");
    expect(await ruleIds("sdk/render/x.ts", code.replace("  work();", "  void work();"))).toEqual([]);
  });
});
