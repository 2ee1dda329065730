// The guides' examples are real modules: each directory here holds one module in TS
// (<name>.opm.ts) and in CUE (cue/), built by `opm mod build` (in-process) without values, with
// each values file, and with all of them layered in order; TS and CUE must print the same
// objects, and the layered build its golden file. docs/authoring.md quotes these files: every
// block there that names a file (`file=<path> lines=<from>-<to>`) must be that file's text.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, run } from "../../cli/__tests__/run.ts";

const here = join(repoRoot, "docs/examples");
const examples = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

async function build(dir: string, values: readonly string[]): Promise<string> {
  const result = await run(["mod", "build", dir, ...values.flatMap((v) => ["-f", v])]);
  if (result.code !== 0) throw new Error(`opm mod build ${dir}: exit ${result.code}\n${result.err}`);
  return result.out;
}

describe("the guides' example modules", () => {
  it("exist", () => {
    expect(examples).toContain("shop");
  });

  for (const name of examples) {
    it(`${name}: TS and CUE build the same objects for every values case`, async () => {
      const dir = `docs/examples/${name}`;
      const files = readdirSync(join(here, name))
        .filter((f) => /^values.*\.yaml$/.test(f))
        .sort()
        .map((f) => `${dir}/${f}`);
      const cases = [[], ...files.map((f) => [f]), files];
      for (const values of cases) {
        const ts = await build(dir, values);
        expect(await build(`${dir}/cue`, values), `with ${values.join(" ") || "no values"}`).toBe(ts);
        if (values === files) expect(ts).toBe(readFileSync(join(here, name, "expected.yaml"), "utf8"));
      }
    }, 120_000);
  }
});

describe("docs/authoring.md", () => {
  const guide = readFileSync(join(repoRoot, "docs/authoring.md"), "utf8");
  const quotes = [...guide.matchAll(/^```\w+ file=(\S+)(?: lines=(\d+)-(\d+))?\n([\s\S]*?)^```$/gm)];

  it("quotes the example files as they are", () => {
    expect(quotes.length).toBeGreaterThanOrEqual(4);
    for (const [, file, from, to, body] of quotes) {
      const lines = readFileSync(join(repoRoot, file!), "utf8").split("\n");
      const quoted =
        from === undefined ? lines.join("\n") : `${lines.slice(Number(from) - 1, Number(to)).join("\n")}\n`;
      expect(body, `${file} ${from ?? ""}-${to ?? ""}`).toBe(quoted);
    }
  });
});
