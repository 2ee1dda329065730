// `npm run build:cli`: bundles the CLI and its module worker into dist/opm/ with esbuild
// (docs/architecture.md, "Speed budget"). The package's executable, dist/opm/bin.cjs, is built
// here from cli/bin.ts; beyond `--version` it runs dist/opm/cli.cjs, the whole CLI as one
// CommonJS file, through a V8 code cache (cli/start/): a start-up then neither resolves a module
// graph nor compiles what an earlier run of the command compiled already. Which entry runs is
// fixed at build time.
// The module worker (the thread a TS module's code runs in) is built the same way: one CommonJS
// file, dist/opm/module-worker-code.cjs, started from a code cache by dist/opm/module-worker.cjs.
// A module's bundle imports `@opm/sdk/...` and `zod`; those imports are linked to small ES modules
// written here (dist/opm/link-*.mjs, cli/module/links.ts) that hand out the worker's own copies,
// so a module and the worker share one copy of sdk, dsl and zod.
//
// Heavy or native-bound packages stay external and load on demand: esbuild (bundling modules on
// a cache miss), the Kubernetes client, ts-morph, prettier.
import { createHash } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { LINKED_SPECIFIERS, linkFileName, linkFileText, type LinkedSpecifier } from "./module/links.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const outdir = `${root}dist/opm`;

await rm(outdir, { recursive: true, force: true });
const started = performance.now();
const external = ["esbuild", "@kubernetes/client-node", "ts-morph", "prettier"];
// clipanion's ES build imports a directory, which Node refuses; Node loads its CommonJS build
// and so does the bundle, which then needs a `require` for Node's built-ins.
// yaml maps Node to its CommonJS build, whose named exports a dynamic import() would lose in
// a bundle; its ES build (published for browsers, no Node APIs) keeps them.
const alias = {
  clipanion: "./node_modules/clipanion/lib/advanced/index.js",
  yaml: "./node_modules/yaml/browser/index.js",
};
// What every build here shares. Less to parse at every start: whitespace and syntax minified;
// identifiers stay, so --debug stack traces stay readable.
const common = {
  absWorkingDir: root,
  outdir,
  bundle: true,
  platform: "node" as const,
  target: "node20",
  conditions: ["@opm/source"],
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true as const,
  logLevel: "warning" as const,
};
// The CLI and the module worker's code, each as one CommonJS file run through
// cli/start/code-cache.ts. Their dynamic imports become require() calls (a script compiled by
// node:vm has no import() without a flag): built-ins, our own modules (evaluated on first use),
// and the Kubernetes client, an ES module Node >= 20.19 requires synchronously. The worker
// imports modules' bundles through its thread entry instead (cli/module/worker-hooks.ts).
// import.meta.url is the file's URL, so paths found from it (module/self.ts) stay as they were.
const cli = await esbuild.build({
  ...common,
  entryPoints: { cli: "cli/main.ts", "module-worker-code": "cli/module/worker-bundled.ts" },
  outExtension: { ".js": ".cjs" },
  format: "cjs",
  supported: { "dynamic-import": false },
  external,
  alias,
  define: { "import.meta.url": "__opmModule.url" },
  // Strict first, as the ES modules it is made of were (the banner would otherwise come before
  // esbuild's own "use strict" and turn it into a plain string). The URL is made on first use:
  // node:url's URL costs a start-up that never asks for it several milliseconds.
  banner: {
    js: '"use strict";const __opmModule = { get url() { return require("node:url").pathToFileURL(__filename).href; } };',
  },
});
// The content digest of each file run through a code cache, written into the file that runs it,
// so that a start-up keys the cache without hashing megabytes (cli/start/code-cache.ts).
const digestOf = async (name: string) =>
  JSON.stringify(
    createHash("sha256")
      .update(await readFile(join(outdir, name)))
      .digest("hex"),
  );
// The worker thread's entry: loaded by Node's CommonJS loader, so its import() is a real one.
const workerEntry = await esbuild.build({
  ...common,
  entryPoints: { "module-worker": "cli/start/module-worker.ts" },
  outExtension: { ".js": ".cjs" },
  format: "cjs",
  define: { OPM_WORKER_CODE_DIGEST: await digestOf("module-worker-code.cjs") },
});
// The link files need the names each linked entry exports: esbuild's metafile lists them.
const manifest = JSON.parse(await readFile(`${root}package.json`, "utf8")) as {
  exports: Record<string, { "@opm/source"?: string } | string | null>;
};
const linkSource = (specifier: LinkedSpecifier): string => {
  if (!specifier.startsWith("@opm/sdk")) return specifier;
  const target = manifest.exports[`.${specifier.slice("@opm/sdk".length)}`];
  const source = typeof target === "object" && target !== null ? target["@opm/source"] : undefined;
  if (source === undefined) throw new Error(`package.json exports no source for ${specifier}`);
  return source;
};
const specifiers = Object.keys(LINKED_SPECIFIERS) as LinkedSpecifier[];
const linked = await esbuild.build({
  ...common,
  entryPoints: Object.fromEntries(specifiers.map((s) => [LINKED_SPECIFIERS[s], linkSource(s)])),
  write: false,
  format: "esm",
  splitting: true,
  external,
  alias,
});
for (const specifier of specifiers) {
  const output = linked.metafile.outputs[`dist/opm/${LINKED_SPECIFIERS[specifier]}.js`];
  if (output === undefined) throw new Error(`esbuild reported no exports for ${specifier}`);
  await writeFile(join(outdir, linkFileName(specifier)), linkFileText(specifier, output.exports));
}
// The executable: cli/bin.ts (its version constant inlined), as CommonJS so `--version` never sets
// up Node's ES module loader; its `import("./main.ts")` becomes cli/start/bundled-main.ts, which
// runs cli.cjs with the code cache.
const executable = await esbuild.build({
  ...common,
  entryPoints: { bin: "cli/bin.ts" },
  outExtension: { ".js": ".cjs" },
  format: "cjs",
  define: { OPM_CLI_DIGEST: await digestOf("cli.cjs") },
  plugins: [
    {
      name: "bundled-main",
      setup(build) {
        build.onResolve({ filter: /^\.\/main\.ts$/ }, (args) =>
          args.importer.endsWith("bin.ts") ? { path: `${root}cli/start/bundled-main.ts` } : undefined,
        );
      },
    },
  ],
});
const outputs = { ...cli.metafile.outputs, ...workerEntry.metafile.outputs, ...executable.metafile.outputs };
const bytes = Object.values(outputs).reduce((sum, o) => sum + o.bytes, 0);
process.stdout.write(
  `bundled the CLI into ${outdir} (${Object.keys(outputs).length + specifiers.length} files, ` +
    `${(bytes / 1024).toFixed(0)} KiB) in ${(performance.now() - started).toFixed(0)} ms\n`,
);
