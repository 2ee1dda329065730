// Module code that misbehaves ends with a coded error and the right exit code, in bounded time,
// and the CLI goes on working: `opm mod build` of modules (and `.ts` values files) that throw,
// throw late, loop forever, never settle, call process.exit or print. Each module wraps the
// test module cli/testdata/web and adds one misbehaviour. Run in-process: the worker thread is
// what keeps them from reaching the CLI.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, run, tempDir } from "../__tests__/run.ts";

const WEB = join(repoRoot, "cli/testdata/web/module.opm.ts");
const dir = tempDir("opm-hostile-");

/** A module file: the web module, with `code` run at its top level (before the export). */
function moduleWith(name: string, code: string, exported = "web"): string {
  const file = join(dir, `${name}.opm.ts`);
  writeFileSync(file, `import web from ${JSON.stringify(WEB)};\n${code}\nexport default ${exported};\n`);
  return file;
}

/** The web module whose components() does `code` before building the components. */
function componentsWith(name: string, code: string): string {
  return moduleWith(
    name,
    `import { brand, type Module } from "@opm/sdk";
const m = web as Module;
const real = m.components as (v: unknown) => Module["components"];
const hostile = brand("Module", { ...m, components: (v: unknown) => { ${code}; return real(v); } }) as Module;`,
    "hostile",
  );
}

function valuesFile(name: string, text: string): string {
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, text);
  return file;
}

async function build(args: string[], timeout = "1s") {
  const started = Date.now();
  const result = await run(["mod", "build", ...args], { env: { OPM_MODULE_TIMEOUT: timeout } });
  return { ...result, seconds: (Date.now() - started) / 1000 };
}

describe("module code in a worker", () => {
  it("stops a module that loops forever at its top level (OPM8006, exit 1)", async () => {
    const { code, out, err, seconds } = await build([moduleWith("loop", "while (true) {}")]);
    expect(out).toBe("");
    expect(err).toMatch(
      /^error OPM8006: module code did not finish loading .*loop\.opm\.ts within 1s; opm stopped it\n/,
    );
    expect(err).toContain("hint: look for a loop");
    expect(code).toBe(1);
    expect(seconds).toBeLessThan(30);
  });

  it("stops components() that never returns, and takes --module-timeout over the environment", async () => {
    const file = componentsWith("components-loop", "for (;;) {}");
    const { code, err } = await build([file, "--module-timeout", "500ms"], "1h");
    expect(err).toMatch(/^error OPM8006: module code did not finish rendering .* within 500ms/);
    expect(code).toBe(1);
  });

  it("stops a top-level await that a timer keeps waiting (OPM8006)", async () => {
    const { code, err } = await build([
      moduleWith("pending", "setInterval(() => undefined, 1000);\nawait new Promise(() => undefined);"),
    ]);
    expect(err).toMatch(/^error OPM8006: module code did not finish loading/);
    expect(code).toBe(1);
  });

  it("stops a top-level await that nothing can settle (OPM8006)", async () => {
    const { code, err } = await build([moduleWith("never", "await new Promise(() => undefined);")]);
    expect(err).toMatch(/^error OPM8006: module code did not finish loading .*never\.opm\.ts/);
    expect(code).toBe(1);
  });

  it("reports process.exit in module code, whatever the code (OPM8007, exit 2)", async () => {
    for (const exitCode of [0, 3]) {
      const { code, out, err } = await build([moduleWith(`exit${exitCode}`, `process.exit(${exitCode});`)]);
      expect(out).toBe("");
      expect(err).toContain(
        `error OPM8007: module code ended while loading ${dir}/exit${exitCode}.opm.ts (process.exit(${exitCode}))`,
      );
      expect(code).toBe(2);
    }
  });

  it("reports process.exit in components() while rendering", async () => {
    const { code, err } = await build([componentsWith("components-exit", "process.exit(0)")]);
    expect(err).toMatch(/^error OPM8007: module code ended while rendering .*\(process\.exit\(0\)\)/);
    expect(code).toBe(2);
  });

  it("reports a module that throws at its top level as a load error (OPM8004, exit 2)", async () => {
    const { code, err } = await build([moduleWith("throws", 'throw new Error("no database URL");')]);
    expect(err).toMatch(/^error OPM8004: loading .*throws\.opm\.ts failed: no database URL\n/);
    expect(err).not.toMatch(/\n\s+at /);
    expect(code).toBe(2);
  });

  it("reports a rejection that comes late, from a timer, as a crash (OPM8008, exit 2)", async () => {
    const rejected = moduleWith(
      "late-reject",
      'setTimeout(() => Promise.reject(new Error("late failure")), 10);\nawait new Promise((r) => setTimeout(r, 500));',
    );
    const { code, err } = await build([rejected], "10s");
    expect(err).toMatch(
      /^error OPM8008: module code threw while loading .*late-reject\.opm\.ts, outside anything opm awaits: late failure/,
    );
    expect(code).toBe(2);
    const thrown = moduleWith(
      "late-load",
      'setTimeout(() => { throw new Error("boom later"); }, 10);\nawait new Promise((r) => setTimeout(r, 500));',
    );
    const late = await build([thrown], "10s");
    expect(late.err).toMatch(
      /^error OPM8008: module code threw while loading .*late-load\.opm\.ts, outside anything opm awaits: boom later/,
    );
    expect(late.code).toBe(2);
  });

  it("reports a default export that throws when read as an invalid module (fuzz: it was an internal error)", async () => {
    const file = moduleWith("proxy", "", 'new Proxy({}, { get() { throw new Error("trap"); } })');
    const { code, out, err } = await build([file]);
    expect(out).toBe("");
    expect(err).toMatch(/^error OPM\d{4}: .*proxy\.opm\.ts: reading its exports threw: trap\n/);
    expect(err).not.toContain("OPM7999");
    expect(code).toBe(2);
  });

  it("refuses components() that returns a number instead of rendering nothing (fuzz: it was accepted)", async () => {
    const { code, out, err } = await build([componentsWith("components-number", "return 42 as never")]);
    expect(out).toBe("");
    expect(err).toContain(
      "error OPM3005: module web: building components from values failed: components must be a map of name to component, got number",
    );
    expect(code).toBe(2);
  });

  it("sends what module code prints to stderr, never into the manifests", async () => {
    const file = moduleWith(
      "chatty",
      'console.log("hello from the module"); process.stdout.write("raw\\n");',
    );
    const { code, out, err } = await build([file]);
    expect(code).toBe(0);
    expect(out).toMatch(/^apiVersion: v1\nkind: Service\n/);
    expect(out).not.toContain("hello");
    expect(err).toContain("hello from the module\n");
    expect(err).toContain("raw\n");
  });

  it("works again after a stopped worker", async () => {
    await build([moduleWith("loop-again", "while (true) {}")]);
    const { code, out } = await build([WEB]);
    expect(code).toBe(0);
    expect(out).toContain("kind: Deployment");
  });
});

describe(".ts values files as module code", () => {
  it("stops one that loops (OPM8006) and one that exits (OPM8007)", async () => {
    const loop = await build([WEB, "-f", valuesFile("loop-values", "while (true) {}\nexport default {};\n")]);
    expect(loop.err).toMatch(
      /^error OPM8006: module code did not finish loading values file .*loop-values\.ts within 1s/,
    );
    expect(loop.code).toBe(1);
    const exit = await build([
      WEB,
      "-f",
      valuesFile("exit-values", "process.exit(4);\nexport default {};\n"),
    ]);
    expect(exit.err).toMatch(
      /^error OPM8007: module code ended while loading values file .*exit-values\.ts \(process\.exit\(4\)\)/,
    );
    expect(exit.code).toBe(2);
  });

  it("refuses one without a default export (OPM7030) or with data that is not plain (OPM2004)", async () => {
    const none = await build([WEB, "-f", valuesFile("no-default", "export const replicas = 3;\n")]);
    expect(none.err).toMatch(/^error OPM7030: values file .*no-default\.ts has no default export\n/);
    expect(none.code).toBe(2);
    const text =
      "const self: Record<string, unknown> = { replicas: 2 };\nself.me = self;\nexport default { image: () => 'nginx', when: new Date(0), self };\n";
    const bad = await build([WEB, "-f", valuesFile("not-plain", text)]);
    expect(bad.err).toContain("error OPM2004: values.image: a function is not a value");
    expect(bad.err).toContain("error OPM2004: values.when: a Date is not a value");
    expect(bad.err).toContain("error OPM2004: values.self.me: refers to a map or list that contains it");
    expect(bad.code).toBe(2);
  });

  it("awaits a default export that is a promise", async () => {
    const file = valuesFile("async-values", "export default Promise.resolve({ replicas: 7 });\n");
    const { code, out } = await build([WEB, "-f", file]);
    expect(code).toBe(0);
    expect(out).toContain("  replicas: 7\n");
  });
});
