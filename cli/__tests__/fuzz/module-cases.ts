// Broken modules: TypeScript modules and `.ts` values files whose code throws, rejects late,
// loops, never settles, exits or exports the wrong thing, and CUE modules with syntax errors,
// cycles, missing imports, conflicts and invalid metadata. The TS ones wrap the test module
// cli/testdata/web (plain IR, no dsl) and add one misbehaviour; the CUE ones are the jellyfin
// example's CUE module with one change.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../run.ts";
import { EXIT, type FuzzCase } from "./case.ts";
import type { Random } from "./random.ts";
import { TARGETS } from "./values-cases.ts";

const WEB = JSON.stringify(join(repoRoot, "cli/testdata/web/module.opm.ts"));
/** Module code gets this long per step in these cases (the suite's runs stay short). */
export const FUZZ_MODULE_TIMEOUT = "400ms";

const THROWN = [
  'new Error("boom")',
  '"a string"',
  "undefined",
  "null",
  "42",
  "Object.create(null)",
  '{ get message() { throw new Error("getter"); } }',
  'new Proxy({}, { get() { throw new Error("proxy"); } })',
  'new AggregateError([new Error("a")], "many")',
  "Symbol('s')",
];

/** Top-level code of a module file (before its default export, which is `web` unless changed). */
const MODULE_BODIES: readonly (readonly [string, (random: Random) => string, string?])[] = [
  ["throws at the top level", (r) => `throw ${r.pick(THROWN)};`],
  ["rejects at the top level", (r) => `await Promise.reject(${r.pick(THROWN)});`],
  [
    "rejects late",
    (r) => `await new Promise((_, reject) => setTimeout(() => reject(${r.pick(THROWN)}), ${r.int(1, 100)}));`,
  ],
  [
    "throws from a timer",
    (r) =>
      `setTimeout(() => { throw ${r.pick(THROWN)}; }, ${r.int(0, 5)});\nawait new Promise((resolve) => setTimeout(resolve, 50));`,
  ],
  [
    "leaves a rejection unhandled",
    (r) =>
      `void Promise.reject(${r.pick(THROWN)});\nawait new Promise((resolve) => setTimeout(resolve, 50));`,
  ],
  ["loops forever", () => "while (true) {}"],
  ["never settles", () => "await new Promise(() => undefined);"],
  [
    "never settles with a timer running",
    () => "setInterval(() => undefined, 10);\nawait new Promise(() => undefined);",
  ],
  ["calls process.exit", (r) => `process.exit(${r.pick([0, 1, 2, 137])});`],
  [
    "calls process.exit from a timer",
    (r) =>
      `setTimeout(() => process.exit(${r.pick([0, 1])}), 1);\nawait new Promise((resolve) => setTimeout(resolve, 50));`,
  ],
  ["exports a number", () => "", "42"],
  ["exports null", () => "", "null"],
  ["exports a plain object", () => "", '{ kind: "Module" }'],
  ["exports a function", () => "", "() => web"],
  ["exports a throwing proxy", () => "", 'new Proxy({}, { get() { throw new Error("proxy"); } })'],
  ["has a syntax error", () => "const x = {{;"],
  ["has a type-only syntax error", () => "let y: = 1;"],
  ["imports a package that does not exist", (r) => `import "${r.word()}-no-such-package";`],
  ["imports a file that does not exist", () => 'import "./no-such-file.ts";'],
];

/** The web module with its metadata or components() changed (a Module built without the dsl). */
function hostileModule(change: string): string {
  return `import { brand, type Module } from "@opm/sdk";
const m = web as Module;
const hostile = brand("Module", { ...m, ${change} }) as Module;`;
}

const MODULE_CHANGES: readonly (readonly [string, (random: Random) => string])[] = [
  [
    "a version that is not SemVer",
    (r) =>
      `metadata: { ...m.metadata, version: ${JSON.stringify(r.pick(["1.0", "v1.0.0", "latest", "01.0.0", "1.0.0.0", "", "1.0.0-", "1.0.0+a+b"]))} }`,
  ],
  [
    "a name that is not a DNS label",
    (r) =>
      `metadata: { ...m.metadata, name: ${JSON.stringify(r.pick(["Web", "web_app", "-web", "web-", "", "a".repeat(64)]))} }`,
  ],
  [
    "a namespace that is not a DNS label",
    () => 'metadata: { ...m.metadata, defaultNamespace: "Not_A_Namespace" }',
  ],
  ["components() that throws", (r) => `components: () => { throw ${r.pick(THROWN)}; }`],
  ["components() that loops", () => "components: () => { for (;;) {} }"],
  [
    "components() that rejects",
    (r) =>
      `components: async () => { await new Promise((resolve) => setTimeout(resolve, 5)); throw ${r.pick(THROWN)}; }`,
  ],
  ["components() that returns null", () => "components: () => null"],
  ["components() that returns a number", () => "components: () => 42"],
  ["components() that calls process.exit", () => "components: () => process.exit(3)"],
  [
    "a component that is a cycle",
    () =>
      'components: (v: unknown) => { const c: Record<string, unknown> = { kind: "Component" }; c["self"] = c; return { web: c }; }',
  ],
  ["a config.validate that throws", (r) => `config: { validate: () => { throw ${r.pick(THROWN)}; } }`],
  ["a config.validate that returns junk", () => "config: { validate: () => 42 }"],
  [
    "default values that are not plain data",
    (r) =>
      `values: ${r.pick(["{ port: () => 1 }", "{ when: new Date(0) }", 'JSON.parse(\'{"__proto__": {"x": 1}}\')', "{ big: 1n }"])}`,
  ],
];

export function tsModuleCase(random: Random): FuzzCase {
  let what: string;
  let code: string;
  let exported = "web";
  if (random.chance(0.6)) {
    const [name, body, exportedAs] = random.pick(MODULE_BODIES);
    what = name;
    code = body(random);
    exported = exportedAs ?? exported;
  } else {
    const [name, change] = random.pick(MODULE_CHANGES);
    what = name;
    code = hostileModule(change(random));
    exported = "hostile";
  }
  const command = random.pick(["build", "build", "vet", "eval"]);
  return {
    family: "ts-module",
    name: `module.opm.ts ${what}`,
    argv: ["mod", command, "<dir>/module.opm.ts", "--module-timeout", FUZZ_MODULE_TIMEOUT],
    files: { "module.opm.ts": `import web from ${WEB};\n${code}\nexport default ${exported};\n` },
    exits: [EXIT.failure, EXIT.validation],
  };
}

const VALUES_FILES: readonly (readonly [string, (random: Random) => string])[] = [
  ["throws", (r) => `throw ${r.pick(THROWN)};\nexport default {};`],
  ["has no default export", () => "export const values = { port: 1 };"],
  ["exports a number", () => "export default 42;"],
  ["exports a list", () => "export default [1, 2];"],
  ["exports a function", () => "export default () => ({ port: 1 });"],
  ["exports a promise of a wrong type", () => 'export default Promise.resolve({ port: "http" });'],
  ["exports a cycle", () => "const v: Record<string, unknown> = {};\nv.self = v;\nexport default v;"],
  ["exports a Date", () => "export default { when: new Date(0) };"],
  ["exports a Map", () => "export default { m: new Map([[1, 2]]) };"],
  ["exports a bigint", () => "export default { port: 1n };"],
  ["exports a symbol", () => "export default { port: Symbol('p') };"],
  ["exports a class instance", () => "class P { port = 1; }\nexport default new P();"],
  ["exports a prototype key", () => 'export default JSON.parse(\'{"__proto__": {"polluted": true}}\');'],
  ["exports a throwing getter", () => "export default { get port() { throw new Error('getter'); } };"],
  [
    "exports a throwing proxy",
    () => "export default new Proxy({}, { ownKeys() { throw new Error('keys'); } });",
  ],
  [
    "exports a deep object",
    (r) =>
      `let v: unknown = 1;\nfor (let i = 0; i < ${r.int(101, 5000)}; i++) v = { v };\nexport default { nested: v };`,
  ],
  ["exports a wrong type", () => "export default { port: 'http' };"],
  ["loops forever", () => "while (true) {}\nexport default {};"],
  ["never settles", () => "await new Promise(() => undefined);\nexport default {};"],
  ["calls process.exit", () => "process.exit(0);\nexport default {};"],
  ["has a syntax error", () => "export default {{;"],
];

export function tsValuesCase(random: Random): FuzzCase {
  const [what, text] = random.pick(VALUES_FILES);
  const command = random.pick(["build", "vet"]);
  return {
    family: "ts-values",
    name: `values.ts ${what}`,
    argv: [
      "mod",
      command,
      join(repoRoot, "cli/testdata/web"),
      "-f",
      "<dir>/values.ts",
      "--module-timeout",
      FUZZ_MODULE_TIMEOUT,
    ],
    files: { "values.ts": `${text(random)}\n` },
    exits: [EXIT.failure, EXIT.validation],
  };
}

const CUE_MODULE = readFileSync(join(TARGETS.cue, "jellyfin.cue"), "utf8");
const CUE_MOD = readFileSync(join(TARGETS.cue, "cue.mod/module.cue"), "utf8");

/** The jellyfin CUE module with one line inserted after a random line of it. */
function insertLine(random: Random, line: string): string {
  const lines = CUE_MODULE.split("\n");
  const at = random.int(1, lines.length - 1);
  return [...lines.slice(0, at), line, ...lines.slice(at)].join("\n");
}

const CUE_CHANGES: readonly (readonly [string, (random: Random) => { module?: string; mod?: string }])[] = [
  ["a stray closing brace", (r) => ({ module: insertLine(r, "}") })],
  ["a stray closing paren", (r) => ({ module: insertLine(r, ")") })],
  ["an unterminated string", (r) => ({ module: insertLine(r, '"unterminated') })],
  ["an invalid token", (r) => ({ module: insertLine(r, r.pick(["@@@", "::", "$$$: 1", "a: b: : c"])) })],
  [
    "a truncated file",
    (r) => ({ module: CUE_MODULE.slice(0, CUE_MODULE.lastIndexOf("}", r.int(400, CUE_MODULE.length - 2))) }),
  ],
  [
    "a reference cycle",
    () => ({
      module: `${CUE_MODULE}\n#config: cycleA: #config.cycleB + 1\n#config: cycleB: #config.cycleA + 1\nvalues: cycleA: 1\n`,
    }),
  ],
  [
    "a structural cycle",
    () => ({ module: `${CUE_MODULE}\n#loop: next: #loop\nmetadata: labels: loop: #loop\n` }),
  ],
  [
    "a missing import",
    () => ({
      module:
        CUE_MODULE.replace("import (", 'import (\n\tnope "example.com/nope@v0"') +
        "\nmetadata: labels: x: nope.#X\n",
    }),
  ],
  [
    "an import of an unknown catalog package",
    () => ({
      module:
        CUE_MODULE.replace("import (", 'import (\n\tghost "opmodel.dev/ghost@v0"') +
        "\nmetadata: labels: x: ghost.#X\n",
    }),
  ],
  ["a conflict", () => ({ module: `${CUE_MODULE}\nvalues: port: "http"\n` })],
  [
    "a non-SemVer version",
    (r) => ({
      module: CUE_MODULE.replace(
        'version:          "1.0.0"',
        `version: ${JSON.stringify(r.pick(["1.0", "v1", "latest", "01.0.0"]))}`,
      ),
    }),
  ],
  [
    "an invalid name",
    () => ({ module: CUE_MODULE.replace('name:             "jellyfin"', 'name: "Jelly_Fin"') }),
  ],
  ["a wrong package name", () => ({ module: CUE_MODULE.replace("package jellyfin", "package 123") })],
  [
    "a broken cue.mod/module.cue",
    (r) => ({ mod: r.pick(["module: ", "module: 42\n", "{{{", CUE_MOD.replace("v0.1.0", "not-a-version")]) }),
  ],
  [
    "a module path that is not valid",
    () => ({ mod: CUE_MOD.replace("example.com/jellyfin@v0", "Not A Path") }),
  ],
];

export function cueModuleCase(random: Random): FuzzCase {
  const [what, change] = random.pick(CUE_CHANGES);
  const { module = CUE_MODULE, mod = CUE_MOD } = change(random);
  const command = random.pick(["build", "build", "vet", "eval"]);
  return {
    family: "cue-module",
    name: `jellyfin.cue with ${what}`,
    argv: ["mod", command, "<dir>/jellyfin"],
    files: { "jellyfin/jellyfin.cue": module, "jellyfin/cue.mod/module.cue": mod },
    exits: [EXIT.validation],
  };
}

/**
 * Inputs that end or stall the code running them, for a real `opm` process: the time bound
 * and the exit are then seen from outside, as a user's shell sees them.
 */
export function processCase(random: Random, kind: number): FuzzCase {
  const timeout = ["--module-timeout", "1s"];
  const web = join(repoRoot, "cli/testdata/web");
  const module = (what: string, code: string, exported = "web"): FuzzCase => ({
    family: "process",
    name: `module.opm.ts ${what}`,
    argv: ["mod", "build", "<dir>/module.opm.ts", ...timeout],
    files: { "module.opm.ts": `import web from ${WEB};\n${code}\nexport default ${exported};\n` },
    exits: [EXIT.failure, EXIT.validation],
  });
  const values = (what: string, code: string, file = "values.ts"): FuzzCase => ({
    family: "process",
    name: `${file} ${what}`,
    argv: ["mod", "build", web, "-f", `<dir>/${file}`, ...timeout],
    files: { [file]: code },
    exits: [EXIT.failure, EXIT.validation],
  });
  const kinds = [
    () => module("loops forever", "while (true) {}"),
    () => module("never settles", "await new Promise(() => undefined);"),
    () => module("calls process.exit", `process.exit(${random.pick([0, 1, 3])});`),
    () =>
      module(
        "throws from a timer",
        'setTimeout(() => { throw new Error("late"); }, 1);\nawait new Promise((r) => setTimeout(r, 100));',
      ),
    () => module("loops in components()", hostileModule("components: () => { for (;;) {} }"), "hostile"),
    () => values("loops forever", "while (true) {}\nexport default {};\n"),
    () => values("calls process.exit", "process.exit(0);\nexport default {};\n"),
    () =>
      values(
        "is an alias bomb",
        `${Array.from(
          { length: 10 },
          (_, i) =>
            `l${i + 1}: &l${i + 1} [${Array(9)
              .fill(i === 0 ? '"lol"' : `*l${i}`)
              .join(", ")}]`,
        ).join("\n")}\n`,
        "values.yaml",
      ),
    () =>
      values("is a flow list of a million numbers", `{"port": [${"0,".repeat(1_000_000)}0]}`, "values.json"),
  ];
  return kinds[kind % kinds.length]!();
}

/** How many kinds processCase has: a run tries each once. */
export const PROCESS_KINDS = 9;
