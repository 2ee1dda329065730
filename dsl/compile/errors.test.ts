// Code outside the supported subset: each construct gets an error naming it, at its file, line
// and column, and one compilation reports every problem at once.
import { describe, expect, it } from "vitest";
import { compileSnippet, positionOf } from "./__tests__/snippet-harness.ts";
import { ErrorCodes } from "../../sdk/index.ts";
import { formatIssue, type TsToCueIssue } from "./issues.ts";

async function issuesOf(snippet: Parameters<typeof compileSnippet>[0]) {
  const { result, source, path } = await compileSnippet(snippet);
  if (result.ok) throw new Error("expected the compilation to fail");
  return { issues: result.issues, source, path };
}

function at(
  source: string,
  path: string,
  needle: string,
  message: string,
  code: string = ErrorCodes.TsUnsupported.code,
): TsToCueIssue {
  return { code: code as TsToCueIssue["code"], message, file: path, ...positionOf(source, needle) };
}

const config = `z.object({ image: z.string(), args: z.array(z.string()), a: z.object({ b: z.string() }).optional() })`;
const web = (container: string) =>
  `(config) => ({ web: component(workloadType("stateless"), Container(${container})) })`;

describe("unsupported constructs are positioned errors that name the construct", () => {
  it("a call to a library function (Math.max)", async () => {
    const { issues, source, path } = await issuesOf({
      config,
      components: web(`{ name: "web", image: config.image, args: [String(Math.max(1, 2))] }`),
    });
    expect(issues).toEqual([
      at(source, path, "Math.max(", "a call to Math.max is not supported in module code"),
    ]);
    expect(formatIssue(issues[0]!)).toMatch(
      /snippet-\d+\.opm\.ts:\d+:\d+: a call to Math\.max is not supported in module code$/,
    );
  });

  it("a secret() whose Secret name is not a string", async () => {
    const { issues, source, path } = await issuesOf({
      config: `z.object({ password: secret({ name: 42 as unknown as string, key: "password" }) })`,
    });
    expect(issues).toEqual([at(source, path, "42 as unknown", "secret() needs name as a string literal")]);
  });

  it("an array method without a CUE counterpart (.reduce)", async () => {
    const { issues, source, path } = await issuesOf({
      config,
      components: web(`{ name: "web", image: config.image, args: config.args.reduce((a, b) => a + b, "") }`),
    });
    expect(issues).toEqual([
      at(source, path, "config.args.reduce(", "a call to config.args.reduce is not supported in module code"),
    ]);
  });

  it("a `new` expression, a loop, a `let` and optional chaining, all reported at once", async () => {
    const { issues, source, path } = await issuesOf({
      config,
      values: `{ image: "x", args: [], stamp: new Date().toISOString() }`,
      components: `(config) => {
        let image = config.image;
        for (const a of config.args) image = a;
        return { web: component(workloadType("stateless"), Container({ name: "web", image: config.a?.b ?? "x" })) };
      }`,
    });
    expect(issues).toEqual([
      at(source, path, "new Date()", "a `new` expression is not supported in module code"),
      at(source, path, "let image", "a `let` declaration is not supported in module code; use const"),
    ]);
    // The block stops at its first unsupported statement; fixing it reveals the next.
    const next = await issuesOf({
      config,
      components: `(config) => {
        for (const a of config.args) console.log(a);
        return {};
      }`,
    });
    expect(next.issues).toEqual([
      at(next.source, next.path, "for (const a", "a `for...of` loop is not supported in module code"),
    ]);
    const chained = await issuesOf({ config, components: web(`{ name: "web", image: config.a?.b }`) });
    expect(chained.issues).toEqual([
      at(
        chained.source,
        chained.path,
        "config.a?.b",
        "optional chaining (`?.`) is not supported in module code",
      ),
    ]);
  });

  it("a function imported from another file is not inlined", async () => {
    const { issues, source, path } = await issuesOf({
      prelude: `import { basename } from "node:path";`,
      config,
      components: web(`{ name: "web", image: basename(config.image) }`),
    });
    expect(issues).toEqual([
      at(source, path, "basename(config", "a call to basename is not supported in module code"),
    ]);
  });

  it("an `if` in a helper that does not return in each branch", async () => {
    const { issues, source, path } = await issuesOf({
      prelude: `function pick(tls: boolean) {
        if (tls) {
          const unused = 1;
        }
        return "x";
      }`,
      config,
      components: web(`{ name: "web", image: pick(config.a === undefined) }`),
    });
    expect(issues).toEqual([
      at(source, path, "if (tls)", "an `if` in module code must return in each branch (`if (c) return a;`)"),
    ]);
  });

  it("zod features without a CUE counterpart", async () => {
    const { issues, source, path } = await issuesOf({
      config: `z.object({ mail: z.string().email(), code: z.string().regex(/^(?!x)[a-z]+$/), n: z.number().transform((n) => n * 2) })`,
    });
    expect(issues).toEqual([
      at(source, path, "z.string().email()", "the zod method .email() has no CUE counterpart"),
      at(
        source,
        path,
        "/^(?!x)",
        "lookaround and backreferences are not supported by CUE's regular expressions (RE2)",
      ),
      at(source, path, "z.number().transform(", "the zod method .transform() has no CUE counterpart"),
    ]);
  });

  it("a file without `export default defineModule(...)`", async () => {
    const { issues, path } = await issuesOf(`export const x = 1;\n`);
    expect(issues).toEqual([
      {
        code: ErrorCodes.TsNoModule.code,
        message: "no `export default defineModule({...})` found",
        file: path,
        line: 1,
        column: 1,
      },
    ]);
  });

  it("values that are not known at compile time", async () => {
    const { issues, source, path } = await issuesOf({
      prelude: `declare const fromEnv: string;`,
      config,
      values: `{ image: fromEnv, args: [] }`,
    });
    expect(issues).toEqual([
      at(
        source,
        path,
        "fromEnv, args",
        "fromEnv is not a constant, function or config value the compiler can read",
      ),
    ]);
  });
});
