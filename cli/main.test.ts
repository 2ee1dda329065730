import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { OpmError } from "../sdk/index.ts";
import { VERSION } from "../sdk/version.ts";
import { run } from "./__tests__/run.ts";
import { ProblemList } from "./errors/problem-list.ts";
import { presentError } from "./errors/present.ts";
import { commands } from "./commands/index.ts";
import { runCli } from "./main.ts";
import { createStyle } from "./output/style.ts";

const plain = { style: createStyle(false), debug: false };

describe("opm (the command tree)", () => {
  it("prints the overview with every group when run without arguments", async () => {
    const { code, out, err } = await run([]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("$ opm <command>");
    expect(out.match(/^General commands$/gm)).toHaveLength(1);
    for (const line of ["opm mod build [", "opm config vet [", "opm completion [", "opm version ["]) {
      expect(out).toContain(line);
    }
  });

  it("names each command in its table by its class's path, each class once", async () => {
    const classes = await Promise.all(commands.map((entry) => entry.load()));
    expect(classes.map((command) => command.paths)).toEqual(commands.map((entry) => [entry.path]));
    expect(new Set(classes).size).toBe(commands.length);
    expect(new Set(commands.map((entry) => entry.path.join(" "))).size).toBe(commands.length);
  });

  it("answers --version in-process too", async () => {
    const { code, out } = await run(["--version"]);
    expect(code).toBe(0);
    expect(out).toBe(`${VERSION}\n`);
  });

  it("reports an unknown command with the nearest one, exit 1", async () => {
    const { code, out, err } = await run(["mod", "bild"]);
    expect(out).toBe("");
    expect(err).toBe(
      "error OPM7001: unknown command: opm mod bild\n" +
        "  hint: did you mean opm mod build? (run 'opm mod build --help' for its usage)\n",
    );
    expect(code).toBe(1);
  });

  it("suggests within a group, and lists the group when nothing is near", async () => {
    expect((await run(["mod", "vendr", "crd"])).err).toContain("did you mean opm mod vendor crd?");
    expect((await run(["config", "vt"])).err).toContain("did you mean opm config vet?");
    const far = await run(["mod", "zzzzzzzz"]);
    expect(far.err).toContain("error OPM7001: unknown command: opm mod zzzzzzzz\n");
    expect(far.err).toMatch(/hint: opm mod has: init, build, vet, /);
    expect(far.err).not.toContain("$ opm");
    const group = await run(["mod"]);
    expect(group.err).toContain("error OPM7001: opm mod needs a command\n");
  });

  it("says which arguments are too many, with the command's usage", async () => {
    const { code, err } = await run(["mod", "build", "a", "b"]);
    expect(err).toContain("opm mod build: too many arguments (b)");
    expect(err).toContain("usage: opm mod build [path]");
    expect(code).toBe(1);
  });

  it("says an option given last needs its value, not that an argument is too many", async () => {
    for (const argv of [
      ["mod", "build", "examples/blog", "-f"],
      ["mod", "build", "-f"],
    ]) {
      const { code, err } = await run(argv);
      expect(err, argv.join(" ")).toBe(
        "error OPM7001: opm mod build: -f needs a value\n" +
          "  hint: write -f,--values <file>; run 'opm mod build --help' for its options and examples\n",
      );
      expect(code).toBe(1);
    }
    const timeout = await run(["mod", "apply", "examples/blog", "--timeout"]);
    expect(timeout.err).toContain("opm mod apply: --timeout needs a value");
    expect(timeout.err).toContain("write --timeout <duration>");
    // A flag that takes no value, given last, is still an argument too many's business.
    const flag = await run(["mod", "build", "a", "b", "--strict"]);
    expect(flag.err).toContain("opm mod build: too many arguments (b)");
  });

  it("suggests the nearest value of an enum", async () => {
    const { code, err } = await run(["completion", "zshh"]);
    expect(err).toContain("did you mean zsh? (run 'opm completion --help' for usage)");
    expect(code).toBe(1);
  });

  it("suggests the nearest flag of the command", async () => {
    const { code, err } = await run(["mod", "build", "--nmespace", "x"]);
    expect(err).toBe(
      "error OPM7001: opm mod build: unknown option --nmespace\n" +
        "  hint: did you mean --namespace? (run 'opm mod build --help' for its options and examples)\n",
    );
    expect(code).toBe(1);
  });

  it("names every option's value and shows its default in --help", async () => {
    for (const path of [
      ["mod", "build"],
      ["mod", "apply"],
      ["mod", "status"],
      ["mod", "init"],
      ["config", "vet"],
    ]) {
      const { out } = await run([...path, "--help"]);
      expect(out, path.join(" ")).not.toMatch(/#\d/);
    }
    const { out } = await run(["mod", "build", "--help"]);
    expect(out).toMatch(/-n,--namespace <namespace> +target namespace/);
    expect(out).toMatch(/--set <path=value> +set a value/);
    expect(out).toMatch(/-o,--output <format> +output format: yaml or json \(default: yaml\)/);
    expect(out).toMatch(/--out-dir <dir> +directory for --split \(default: manifests\)/);
  });

  it("reports an unknown flag, exit 1", async () => {
    const { code, err } = await run(["version", "--bogus"]);
    expect(err).toMatchInlineSnapshot(`
      "error OPM7001: opm version: unknown option --bogus
        hint: run 'opm version --help' for its options and examples
      "
    `);
    expect(code).toBe(1);
  });
});

describe("colour", () => {
  async function stderrOf(env: Record<string, string>, argv = ["mod", "build", "cli/testdata/missing"]) {
    const stderr = new PassThrough();
    let err = "";
    stderr.on("data", (c: Buffer) => (err += c.toString()));
    const stdout = new PassThrough();
    stdout.resume();
    await runCli(argv, { stdin: new PassThrough(), stdout, stderr, env: { HOME: "/nonexistent", ...env } });
    return err;
  }

  it("colours errors with FORCE_COLOR and not with NO_COLOR or --no-color", async () => {
    expect(await stderrOf({ FORCE_COLOR: "1" })).toContain("\u001b[1;31merror OPM7002\u001b[0m");
    expect(await stderrOf({ FORCE_COLOR: "1", NO_COLOR: "1" })).not.toContain("\u001b[");
    expect(
      await stderrOf({ FORCE_COLOR: "1" }, ["mod", "build", "cli/testdata/missing", "--no-color"]),
    ).not.toContain("\u001b[");
  });

  it("colours into a pipe with --color, even with NO_COLOR", async () => {
    const forced = ["mod", "build", "cli/testdata/missing", "--color"];
    expect(await stderrOf({}, forced)).toContain("\u001b[1;31merror OPM7002\u001b[0m");
    expect(await stderrOf({ NO_COLOR: "1" }, forced)).toContain("\u001b[1;31merror OPM7002\u001b[0m");
  });

  it("does not colour when the stream is not a TTY", async () => {
    expect(await stderrOf({})).not.toContain("\u001b[");
  });
});

describe("presentError", () => {
  it("groups identical problems and keeps every location", () => {
    const make = (line: number) =>
      new OpmError("InvalidValues", {
        message: "values.port: must be a number",
        location: { file: "values.yaml", line, column: 7 },
        hint: "expected number",
      });
    const { text, exitCode } = presentError(new ProblemList([make(3), make(9)], "2 problems"), plain);
    expect(text).toMatchInlineSnapshot(`
      "error OPM2001: values.port: must be a number
        --> values.yaml:3:7
        --> values.yaml:9:7
        hint: expected number
      "
    `);
    expect(exitCode).toBe(2);
  });

  it("maps sdk categories and CLI exit kinds to exit codes", () => {
    const exit = (error: unknown) => presentError(error, plain).exitCode;
    expect(exit(new OpmError("TransformFailed", { message: "boom" }))).toBe(2);
    expect(exit(new OpmError("ClusterUnreachable", { message: "no route" }))).toBe(3);
    expect(exit(new OpmError("ClusterForbidden", { message: "denied" }))).toBe(4);
    expect(exit(new OpmError("ReleaseNotFound", { message: "none" }))).toBe(5);
    expect(exit(new OpmError("FieldConflict", { message: "owned" }))).toBe(1);
    expect(exit(new OpmError("ModuleNotFound", { message: "no module" }))).toBe(5);
    expect(exit(new OpmError("OutputWriteFailed", { message: "disk full" }))).toBe(1);
  });

  it("exits with the most severe problem's code, whatever the order", () => {
    const exit = (...problems: unknown[]) =>
      presentError(new ProblemList(problems, "n problems"), plain).exitCode;
    const values = new OpmError("InvalidValues", { message: "bad value" });
    const unreachable = new OpmError("ClusterUnreachable", { message: "no route" });
    const missing = new OpmError("ValuesFileNotFound", { message: "no file" });
    const failed = new OpmError("OutputWriteFailed", { message: "disk full" });
    expect(exit(values, unreachable)).toBe(3);
    expect(exit(unreachable, values)).toBe(3);
    expect(exit(failed, missing, values)).toBe(2);
    expect(exit(failed, missing)).toBe(5);
    expect(exit(failed)).toBe(1);
  });

  it("prints an unexpected error as internal, with its stack only under --debug", () => {
    const error = new TypeError("x is undefined");
    expect(presentError(error, plain).text).toMatchInlineSnapshot(`
      "error OPM7999: internal error: x is undefined
        hint: this is a bug in opm; run again with --debug for the stack trace and report it
      "
    `);
    const debug = presentError(error, { ...plain, debug: true }).text;
    expect(debug).toContain("    TypeError: x is undefined\n");
    expect(debug).toMatch(/ {8}at /);
  });

  it("prints every issue of a CUE engine error with its positions", async () => {
    const { createCueEngine } = await import("../bridge/index.ts");
    const engine = createCueEngine();
    try {
      const error = await engine
        .compile("a: 1\na: 2\n", { filename: "x.cue" })
        .then((v) => engine.export(v))
        .catch((e: unknown) => e);
      expect(presentError(error, plain).text).toMatchInlineSnapshot(`
        "error OPM5004: a: conflicting values 2 and 1
          --> x.cue:1:4
          --> x.cue:2:4
        "
      `);
    } finally {
      await engine.close();
    }
  });
});
