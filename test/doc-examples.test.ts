// The `@example` blocks in the doc comments of the public entries' sources are code users copy,
// so they are compiled and run here and cannot rot: each block is written to a file inside this
// package (so `@opm/sdk/...` resolves to these sources), type-checked together with the
// repository's compiler options, then imported and run. An example shows its result with
// node:assert, so a wrong claim fails too.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../", import.meta.url));
const ENTRY_DIRS = ["sdk", "dsl", "bridge", "catalog", "providers"];
const out = join(root, "node_modules/.cache/opm-doc-examples");

interface Example {
  readonly source: string;
  readonly line: number;
  readonly code: string;
  readonly file: string;
}

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return /^(__tests__|testdata|generated)$/.test(entry.name) ? [] : sources(path);
    return /(?<!\.test|\.test-d|\.d)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** The ```ts fences after an `@example` tag in the file's doc comments. */
function examplesIn(text: string): { line: number; code: string }[] {
  const found: { line: number; code: string }[] = [];
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const body = comment[0].split("\n").map((l) => l.replace(/^\s*\*? ?/, ""));
    const start = text.slice(0, comment.index).split("\n").length;
    for (let i = 0; i < body.length; i++) {
      if (!body[i]!.startsWith("@example")) continue;
      const open = body.findIndex((l, j) => j > i && l.startsWith("```"));
      const close = body.findIndex((l, j) => j > open && l.startsWith("```"));
      if (open < 0 || close < 0)
        throw new Error(`line ${start + i}: an @example without a fenced code block`);
      found.push({ line: start + open + 1, code: `${body.slice(open + 1, close).join("\n")}\n` });
    }
  }
  return found;
}

const examples: Example[] = ENTRY_DIRS.flatMap(sources).flatMap((source) =>
  examplesIn(readFileSync(join(root, source), "utf8")).map(({ line, code }) => ({
    source,
    line,
    code,
    file: join(out, `${source.replaceAll("/", "_").replace(/\.ts$/, "")}_${line}.ts`),
  })),
);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const example of examples) writeFileSync(example.file, example.code);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("@example blocks of the public entries", () => {
  it("finds them in every entry's sources", () => {
    expect(examplesIn("/**\n * @example\n * ```ts\n * f();\n * ```\n */")).toEqual([
      { line: 4, code: "f();\n" },
    ]);
    for (const dir of ENTRY_DIRS)
      expect(
        examples.some((e) => e.source.startsWith(`${dir}/`)),
        dir,
      ).toBe(true);
  });

  it("type-check", () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(root, "tsconfig.json"),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        },
      },
    )!;
    const program = ts.createProgram(
      examples.map((e) => e.file),
      { ...config.options, noUnusedLocals: false },
    );
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file !== undefined && d.file.fileName.startsWith(out))
      .map((d) => {
        const example = examples.find((e) => e.file === d.file!.fileName)!;
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${example.source}:${example.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      });
    expect(problems).toEqual([]);
  }, 240_000);

  for (const example of examples) {
    it(`run: ${example.source}:${example.line}`, async () => {
      await import(pathToFileURL(example.file).href);
    }, 60_000);
  }
});
