// The package as a user gets it. `npm pack` of this tree (built by `npm run build:all`), installed
// into an empty project with an empty HOME, no Go on PATH and no CUE registry configured; npm
// itself takes the dependencies from the machine's npm cache and asks the npm registry only for
// what is not cached. Then a new user's first hour: `opm --version`; every scaffold in both
// languages vetted and built; every example in both languages built to its golden file (once on
// the wasm engine, once after the native engine lost its exec bit); a plain .mjs rendering through
// the library; tsc (strict, skipLibCheck: false) over user modules; TS -> CUE of a user module;
// a CUE module applied to and deleted from the test cluster; `opm config init` and `vet`; with a
// tracer in the process, that no CUE command loads ts-morph; and a project that resolves zod 3.
import { execFile, execFileSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { nativeBinaryName, NATIVE_PLATFORMS } from "../bridge/locate.ts";
import { VERSION } from "../sdk/version.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const devDependencies = (
  JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { devDependencies: Record<string, string> }
).devDependencies;
/** A fenced block of a guide: language, the rest of the info string, body. */
const GUIDE_BLOCK = /^```(\w+)([^\n]*)\n([\s\S]*?)^```$/gm;
const EXAMPLES = ["jellyfin", "blog", "multi-tier", "secrets", "interfaces"] as const;
const TEMPLATES = ["simple", "standard", "advanced"] as const;
/** Per test: tsc and ts-morph take a minute alone on a busy 2-core machine. */
const SLOW = 300_000;

const work = mkdtempSync(join(tmpdir(), "opm-tarball-"));
const project = join(work, "project");
const home = join(work, "home");
const tracer = join(work, "trace-imports.mjs");
let packedFiles: string[] = [];
let tarball = "";
let npmCache = "";
let userPath = "";
let z3Failure: Error | undefined;

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs a program with a user's environment: this PATH, the empty HOME, nothing of ours set. */
function exec(
  file: string,
  args: readonly string[],
  env: Record<string, string> = {},
  cwd = project,
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        cwd,
        env: { PATH: userPath, HOME: home, NO_COLOR: "1", ...env },
        timeout: 240_000,
        maxBuffer: 64 << 20,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ code, out: stdout, err: stderr });
      },
    );
  });
}

const opm = (args: readonly string[], env?: Record<string, string>) =>
  exec(join(project, "node_modules/.bin/opm"), args, env);

/** Fails with the command's own output, which is what one needs to see when it breaks. */
function ok(run: Run): Run {
  if (run.code !== 0) throw new Error(`exit ${run.code}\n${run.err}${run.out.slice(0, 2000)}`);
  return run;
}

/** npm with the machine's cache (HOME is empty) and without the npm_* settings of a parent npm. */
function npm(args: readonly string[], cwd: string, cache: string): void {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  execFileSync("npm", [...args, "--cache", cache, "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd,
    env: { ...env, HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 600_000,
  });
}

/** PATH with node first (a link to this node) and every directory holding a `go` left out. */
function pathWithoutGo(): string {
  const bin = join(work, "bin");
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, "node"));
  const dirs = (process.env["PATH"] ?? "")
    .split(delimiter)
    .filter((d) => d !== "" && !existsSync(join(d, "go")));
  return [bin, ...dirs].join(delimiter);
}

beforeAll(async () => {
  mkdirSync(home);
  mkdirSync(project);
  userPath = pathWithoutGo();
  try {
    execFileSync(process.execPath, [join(root, "scripts/prepack.mjs"), "--check"], { stdio: "pipe" });
  } catch (error) {
    throw new Error(`the tree is not built: ${(error as { stderr?: Buffer }).stderr?.toString()}`);
  }
  // prepack's checks ran above; its builds are `npm run build:all`'s, which CI has run.
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 << 20,
    }),
  ) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, packed[0]!.filename);
  packedFiles = packed[0]!.files.map((f) => f.path);
  const cache = execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim();
  npmCache = cache;
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "user-project", version: "1.0.0", private: true, type: "module" }),
  );
  npm(
    [
      "install",
      "--prefer-offline",
      tarball,
      `typescript@${devDependencies["typescript"]}`,
      `@types/node@${devDependencies["@types/node"]}`,
    ],
    project,
    cache,
  );
  // A project that resolves zod 3 (npm only lets it past the peer range with --legacy-peer-deps).
  const z3 = join(work, "zod3-project");
  mkdirSync(z3);
  writeFileSync(join(z3, "package.json"), JSON.stringify({ name: "z3", version: "1.0.0", private: true }));
  try {
    npm(["install", "--prefer-offline", "--legacy-peer-deps", tarball, "zod@3.25.76"], z3, cache);
  } catch (error) {
    z3Failure = error as Error;
  }
  for (const name of EXAMPLES) {
    for (const part of [`${name}.opm.ts`, "cue", "values.yaml", "expected.yaml"])
      cpSync(join(root, "examples", name, part), join(project, "examples", name, part), { recursive: true });
  }
  // A user's scripts: render through the library, compile a TS module to CUE.
  writeFileSync(
    join(project, "render.mjs"),
    `import { render } from "@opm/sdk";
import { kubernetesProvider } from "@opm/sdk/providers/kubernetes";
import { Container } from "@opm/sdk/catalog";
import { component, defineModule, workloadType, z } from "@opm/sdk/dsl";
const module = defineModule({
  metadata: { apiVersion: "example.com/hello@v0", name: "hello", version: "0.1.0" },
  config: z.object({ image: z.string() }),
  values: { image: "nginx:1.27" },
  components: (c) => ({ web: component(workloadType("stateless"), Container({ name: "web", image: c.image })) }),
});
const result = await render({ module, provider: kubernetesProvider, namespace: "default" });
console.log(result.errors.length, result.resources.map((r) => r.object.kind + "/" + r.object.metadata.name).join());
`,
  );
  writeFileSync(
    join(project, "compile.mjs"),
    `import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { compileModuleToCue, formatIssue } from "@opm/sdk/dsl";
const [input, out] = process.argv.slice(2);
const result = await compileModuleToCue(input);
if (!result.ok) { console.error(result.issues.map(formatIssue).join("\\n")); process.exit(2); }
for (const [name, text] of Object.entries(result.files)) {
  mkdirSync(dirname(join(out, name)), { recursive: true });
  writeFileSync(join(out, name), text);
}
`,
  );
  // Records every module URL the process resolves: ES modules through Node's module hooks (they
  // run off-thread), CommonJS requires (the CLI bundle is CommonJS) through the resolver.
  const hooks = `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.OPM_TRACE_FILE, result.url + "\\n");
  return result;
}`;
  writeFileSync(
    tracer,
    `import { register, Module } from "node:module";
import { appendFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const file = resolveFilename.apply(this, args);
  if (file.startsWith("/")) appendFileSync(process.env.OPM_TRACE_FILE, pathToFileURL(file).href + "\\n");
  return file;
};
`,
  );
}, 900_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("the tarball", { timeout: SLOW }, () => {
  it("holds the executable, the engines for every platform, the catalog and the licence", () => {
    const required = [
      "package.json",
      "LICENSE",
      "README.md",
      "dist/opm/bin.cjs",
      "dist/opm/cli.cjs",
      "dist/sdk/index.js",
      "dist/dsl/index.d.ts",
      "bridge/dist/cue-engine.wasm",
      "bridge/dist/wasm_exec.js",
      "catalog/cue/core/cue.mod/module.cue",
      "testenv/build.sh",
      ...NATIVE_PLATFORMS.map((p) => {
        const [os, arch] = p.split("-") as [string, string];
        return `bridge/dist/${nativeBinaryName(os, arch)}`;
      }),
    ];
    expect(required.filter((file) => !packedFiles.includes(file))).toEqual([]);
  });

  it("leaves out sources, tests, test support and development tools", () => {
    const devOnly =
      /\.test\.|\.test-d\.|__tests__|testdata|^bench\/|^examples\/|^scripts\/|^dist\/cli\/|^dist\/testenv\/|build-tools\.sh|tools\.env|(?<!\.d)\.ts$/;
    expect(packedFiles.filter((file) => devOnly.test(file))).toEqual([]);
  });
});

describe("the installed opm", { timeout: SLOW }, () => {
  it("has no Go to find", async () => {
    expect((await exec("sh", ["-c", "command -v go || echo none"])).out).toBe("none\n");
  });

  it("prints its version", async () => {
    expect(ok(await opm(["--version"])).out).toBe(`${VERSION}\n`);
  });

  it.concurrent.each(["ts", "cue"].flatMap((lang) => TEMPLATES.map((t) => [lang, t] as const)))(
    "scaffolds %s/%s, which vets and builds",
    async (lang, template) => {
      const dir = `scaffold-${lang}-${template}`;
      ok(await opm(["mod", "init", dir, "--lang", lang, "-t", template]));
      expect(ok(await opm(["mod", "vet", dir])).out).toContain("✔");
      expect(ok(await opm(["mod", "build", dir])).out).toContain("kind: Deployment");
    },
  );

  it.concurrent.each(EXAMPLES.flatMap((e) => [[e, "ts"] as const, [e, "cue"] as const]))(
    "builds the %s example (%s) to its golden file",
    async (name, lang) => {
      const dir = `examples/${name}${lang === "cue" ? "/cue" : ""}`;
      const build = ok(await opm(["mod", "build", dir, "-f", `examples/${name}/values.yaml`]));
      expect(build.out).toBe(readFileSync(join(project, "examples", name, "expected.yaml"), "utf8"));
    },
  );

  it("builds a CUE example on the wasm engine", async () => {
    const build = ok(
      await opm(["mod", "build", "examples/jellyfin/cue", "-f", "examples/jellyfin/values.yaml"], {
        OPM_CUE_ENGINE: "wasm",
      }),
    );
    expect(build.out).toBe(readFileSync(join(project, "examples/jellyfin/expected.yaml"), "utf8"));
  });

  it("checks a fresh configuration", async () => {
    const config = join(work, "config", "config.cue");
    ok(await opm(["config", "init", "--config", config]));
    expect(ok(await opm(["config", "vet", "--config", config])).out).toBe(
      `✔ Configuration is valid: ${config}\n`,
    );
  });
});

describe("the installed library", { timeout: SLOW }, () => {
  it("renders from a plain .mjs", async () => {
    expect(ok(await exec("node", ["render.mjs"])).out).toBe("0 Deployment/web\n");
  });

  it("type-checks user modules with strict and skipLibCheck: false", async () => {
    for (const t of TEMPLATES) ok(await opm(["mod", "init", `typed-${t}`, "-t", t]));
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2023",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          allowImportingTsExtensions: true, // the scaffolds import their sibling files as .ts
          types: ["node"],
        },
        include: ["typed-*/**/*.ts", "examples/*/*.opm.ts"],
      }),
    );
    const tsc = await exec("node", ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"]);
    expect(tsc.out + tsc.err).toBe("");
    expect(tsc.code).toBe(0);
  });

  it("compiles a user module to CUE outside this repository, which builds to the same objects", async () => {
    ok(await exec("node", ["compile.mjs", "examples/blog/blog.opm.ts", "compiled-blog"]));
    const build = ok(await opm(["mod", "build", "compiled-blog", "-f", "examples/blog/values.yaml"]));
    expect(build.out).toBe(readFileSync(join(project, "examples/blog/expected.yaml"), "utf8"));
  });

  it("fails with OPM8005, naming both versions, in a project that resolves zod 3", async () => {
    if (z3Failure !== undefined) throw new Error(`installing zod 3 failed: ${z3Failure.message}`);
    const z3 = join(work, "zod3-project");
    for (const entry of ["@opm/sdk/dsl", "@opm/sdk/catalog"]) {
      const run = await exec(
        "node",
        [
          "-e",
          `import(${JSON.stringify(entry)}).catch((e) => { console.log(e.code, e.message); process.exit(3); })`,
        ],
        {},
        z3,
      );
      expect(run.code).toBe(3);
      expect(run.out).toBe(
        "OPM8005 @opm/sdk needs zod ^4.0.0 (a peer dependency), but this project resolves zod 3.25.76\n",
      );
    }
  });
});

describe("what CUE commands load", { timeout: SLOW }, () => {
  /** The module URLs a command resolved, with the tracer preloaded. */
  async function traced(
    args: readonly string[],
    file = join(project, "node_modules/.bin/opm"),
  ): Promise<string[]> {
    const trace = join(work, `trace-${Math.random().toString(36).slice(2)}.txt`);
    writeFileSync(trace, "");
    ok(
      await exec(file, args, {
        NODE_OPTIONS: `--import=${pathToFileURL(tracer).href}`,
        OPM_TRACE_FILE: trace,
        OPM_CACHE_DIR: cacheDir,
      }),
    );
    return readFileSync(trace, "utf8").split("\n").filter(Boolean);
  }
  // The bundled CLI (dist/opm/cli.cjs) is read and compiled by bin.cjs, not resolved: the code
  // cache it leaves behind is what shows it ran.
  const cacheDir = join(work, "traced-cache");
  const codeCaches = () => (existsSync(join(cacheDir, "v8")) ? readdirSync(join(cacheDir, "v8")) : []);
  const typescript = (urls: string[]) =>
    urls.filter((u) => /\/node_modules\/(ts-morph|@ts-morph|typescript)\//.test(u));

  beforeAll(async () => {
    ok(await opm(["mod", "init", "traced", "--lang", "cue"]));
  });

  it("build and vet of a CUE module run the bundled CLI and never load ts-morph", async () => {
    for (const command of [
      ["mod", "build", "traced"],
      ["mod", "vet", "traced"],
    ]) {
      const before = codeCaches().length;
      const urls = await traced(command);
      expect(codeCaches().length).toBe(before + 1);
      expect(urls.some((u) => u.includes("/dist/cli/"))).toBe(false);
      expect(typescript(urls)).toEqual([]);
    }
  });

  it("apply and delete of a CUE module on a cluster never load ts-morph", async () => {
    const kubeconfig = inject("kubeconfig");
    const target = ["--kubeconfig", kubeconfig, "-n", `tarball-${Date.now().toString(36)}`];
    expect(
      typescript(await traced(["mod", "apply", "traced", ...target, "--create-namespace", "--no-wait"])),
    ).toEqual([]);
    expect(typescript(await traced(["mod", "delete", "traced", ...target, "--no-wait", "-y"]))).toEqual([]);
  });

  it("(the tracer sees ts-morph when the TS -> CUE compiler runs)", async () => {
    const urls = await traced(
      ["compile.mjs", "examples/jellyfin/jellyfin.opm.ts", "compiled-traced"],
      "node",
    );
    expect(typescript(urls).length).toBeGreaterThan(0);
  });
});

describe("an installed native engine that cannot start", { timeout: SLOW }, () => {
  it("gives way to the wasm engine, which -v notes once", async () => {
    const binary = join(project, "node_modules/@opm/sdk/bridge/dist", nativeBinaryName());
    chmodSync(binary, 0o644);
    try {
      const build = ok(
        await opm(["mod", "build", "examples/jellyfin/cue", "-f", "examples/jellyfin/values.yaml", "-v"]),
      );
      expect(build.out).toBe(readFileSync(join(project, "examples/jellyfin/expected.yaml"), "utf8"));
      const notes = build.err.split("\n").filter((l) => l.startsWith("note: "));
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatch(
        /^note: the native CUE engine for \S+ cannot start \(.*EACCES.*\); using the wasm engine$/,
      );
      expect(build.err).toMatch(
        /^ {2}engine = wasm \(the native engine for \S+ cannot start\) \(default\)$/m,
      );
    } finally {
      chmodSync(binary, 0o755);
    }
  });
});

// The examples' directory listing, so a new example cannot be missed here.
it("covers every example", () => {
  const examples = readdirSync(join(root, "examples"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  expect(examples).toEqual([...EXAMPLES].sort());
});

// docs/getting-started.md as a new user follows it, in an empty directory: its files written, its
// commands run in order (npm installing this tarball and the pinned tools instead of the npm
// registry's), each printed output compared, and the apply steps against the test cluster.
describe("docs/getting-started.md", { timeout: SLOW }, () => {
  it("works as written", async () => {
    const guide = join(work, "guide");
    mkdirSync(guide);
    const steps = [...readFileSync(join(root, "docs/getting-started.md"), "utf8").matchAll(GUIDE_BLOCK)];
    expect(steps.filter((s) => s[1] === "sh").length).toBeGreaterThanOrEqual(4);
    let last: Run | undefined;
    for (const [, lang, info, body] of steps) {
      const file = /\bfile=(\S+)/.exec(info!)?.[1];
      if (file !== undefined) {
        mkdirSync(dirname(join(guide, file)), { recursive: true });
        writeFileSync(join(guide, file), body!);
      } else if (/\boutput\b/.test(info!)) {
        expect(last?.out, "an output block follows a command").toBe(body);
      } else if (lang === "sh") {
        for (const line of body!.split("\n").filter((l) => l.trim() !== "")) {
          if (line.startsWith("npm install ")) {
            const pinned = line
              .replace("@opm/sdk", tarball)
              .replace(/\btypescript\b/, `typescript@${devDependencies["typescript"]}`)
              .replace("@types/node", `@types/node@${devDependencies["@types/node"]}`);
            npm([...pinned.split(" ").slice(1), "--prefer-offline"], guide, npmCache);
            continue;
          }
          last = await exec("sh", ["-c", line], { KUBECONFIG: inject("kubeconfig") }, guide);
          if (last.code !== 0) throw new Error(`${line}: exit ${last.code}\n${last.err}${last.out}`);
        }
      }
    }
  });
});
