// A CUE module that does not evaluate: `opm mod build` prints CUE's cause and the file:line:col
// of every place involved (a conflict, a cycle, a syntax error, a misspelled field inside a
// trait's spec, a disjunction nothing decides), exits 2, and writes nothing to stdout. Each
// case is the notes acceptance module (bridge/testdata/upstream/notes) with one line changed.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { upstreamModuleDir } from "../../../bridge/module/__tests__/upstream.ts";
import { run, tempDir } from "../../__tests__/run.ts";

/** The notes module with `from` replaced by `to` in one of its files; returns its directory. */
function notesWith(file: string, from: string, to: string): string {
  const dir = join(tempDir("opm-cue-errors-"), "notes");
  cpSync(upstreamModuleDir("notes"), dir, { recursive: true });
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  writeFileSync(path, text.replace(from, to));
  return dir;
}

async function build(dir: string) {
  const result = await run(["mod", "build", "."], { cwd: dir });
  expect(result.out).toBe("");
  return result;
}

describe("a CUE module that does not evaluate", () => {
  it("a conflict: both values and every position", async () => {
    const dir = notesWith(
      "components.cue",
      "scaling: count: #config.replicas",
      "scaling: count: 2\n\t\tscaling: count: 3",
    );
    const { code, err } = await build(dir);
    expect(err).toMatchInlineSnapshot(`
      "error OPM5004: #components.notes.spec.scaling.count: conflicting values 3 and 2
        --> components.cue:9:21
        --> components.cue:30:19
        --> components.cue:31:19
      error OPM5004: #components.notes.spec.scaling.count: conflicting values 1 and 2
        --> components.cue:9:21
        --> components.cue:30:19
        --> module.cue:10:1
      "
    `);
    expect(code).toBe(2);
  });

  it("a cycle: the fields that refer to each other", async () => {
    const dir = notesWith(
      "components.cue",
      "PUBLIC_URL: value: #config.url",
      'PUBLIC_URL: value: "\\(_port)"\n\t\t\t\t_port: _next + 1\n\t\t\t\t_next: _port - 1',
    );
    const { code, err } = await build(dir);
    expect(err).toMatchInlineSnapshot(`
      "error OPM3005: module notes: building components from values failed: components do not evaluate:
        components.cue:24:24: component notes: spec.container.env._next: invalid interpolation: cycle with field: _port(example.com/notes@v0)
      "
    `);
    expect(code).toBe(2);
  });

  it("a syntax error: where the file stops parsing", async () => {
    const dir = notesWith("components.cue", 'name:  "notes"', 'name:  "notes');
    const { code, err } = await build(dir);
    expect(err).toMatchInlineSnapshot(`
      "error OPM5005: string literal not terminated
        --> components.cue:20:11
      "
    `);
    expect(code).toBe(2);
  });

  it("a misspelled field inside a trait's spec is a closedness error at its position", async () => {
    const dir = notesWith(
      "components.cue",
      "scaling: count: #config.replicas",
      "scaling: cuont: #config.replicas",
    );
    const { code, err } = await build(dir);
    expect(err).toMatchInlineSnapshot(`
      "error OPM5004: #components.notes.spec.scaling.cuont: field not allowed
        --> components.cue:30:12
      "
    `);
    expect(code).toBe(2);
  });

  it("a trait the catalog does not define: once, at the reference", async () => {
    // Upstream's own blog example (cli@8d84096) still embeds #Replicas, renamed #Scaling in the
    // v0 catalog before the version it pins; CUE reports the reference once per unification.
    const dir = notesWith("components.cue", "workload_traits.#Scaling", "workload_traits.#Replicas");
    const { code, err } = await build(dir);
    expect(err).toMatchInlineSnapshot(`
      "error OPM3005: module notes: building components from values failed: components do not evaluate:
        components.cue:11:18: component notes: undefined field: #Replicas
      "
    `);
    expect(code).toBe(2);
  });

  it("a disjunction nothing decides is an error, not silently defaulted", async () => {
    // The catalog's default (IfNotPresent) is not among the module's choices, so none is left.
    const dir = notesWith(
      "components.cue",
      'name:  "notes"',
      'name:  "notes"\n\t\t\timagePullPolicy: "Always" | "Never"',
    );
    const { code, err } = await build(dir);
    expect(err).toMatchInlineSnapshot(`
      "error OPM3005: module notes: building components from values failed: components are not concrete:
        components.cue:21:4: component notes: spec.container.imagePullPolicy: incomplete value "Always" | "Never"
      "
    `);
    expect(code).toBe(2);
  });
});
