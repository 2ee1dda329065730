// `npm run build:cli`: bundles the CLI and the public entries it loads into dist/opm/ with esbuild
// (docs/architecture.md, "Speed budget"). The package's executable, dist/opm/bin.cjs, is built
// here from cli/bin.ts; beyond `--version` it runs dist/opm/cli.cjs, the whole CLI as one
// CommonJS file, through a V8 code cache (cli/start/): a start-up then neither resolves a module
// graph nor compiles what an earlier run of the command compiled already. Which entry runs is
// fixed at build time.
// The public entries and the module worker form one ES module graph with shared chunks: modules a
// user writes import `@opm/sdk/...`, and the worker links those to the same bundled entries
// (module/self.ts), so a module and the worker share one copy of sdk, dsl and zod.
//
// Heavy or native-bound packages stay external and load on demand: esbuild (bundling modules on
// a cache miss), the Kubernetes client, ts-morph, prettier.
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

export const BUNDLE_ENTRIES = {
  sdk: "sdk/index.ts",
  dsl: "dsl/index.ts",
  catalog: "catalog/index.ts",
  bridge: "bridge/index.ts",
  "providers-kubernetes": "providers/kubernetes/index.ts",
  // The worker thread a TS module's code runs in (cli/module/runner.ts starts it by this name).
  "module-worker": "cli/module/worker.ts",
  // Modules import zod themselves; they are linked to this entry (module/self.ts), so the CLI and
  // the module share one zod instead of loading a second copy from node_modules.
  zod: "zod",
} as const;

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
const result = await esbuild.build({
  ...common,
  entryPoints: BUNDLE_ENTRIES,
  splitting: true,
  format: "esm",
  external,
  alias,
  banner: {
    js: 'import { createRequire as __opmCreateRequire } from "node:module"; const require = __opmCreateRequire(import.meta.url);',
  },
});
// The CLI as one CommonJS file (run by bin.cjs through cli/start/code-cache.ts). Its dynamic
// imports become require() calls (a script compiled by node:vm has no import() without a flag):
// built-ins, and the Kubernetes client, an ES module Node >= 20.19 requires synchronously.
// import.meta.url is this file's URL, so paths found from it (module/self.ts) stay as they were.
const cli = await esbuild.build({
  ...common,
  entryPoints: { cli: "cli/main.ts" },
  outExtension: { ".js": ".cjs" },
  format: "cjs",
  supported: { "dynamic-import": false },
  external,
  alias,
  define: { "import.meta.url": "__opmModuleUrl" },
  // Strict first, as the ES modules it is made of were (the banner would otherwise come before
  // esbuild's own "use strict" and turn it into a plain string).
  banner: { js: '"use strict";const __opmModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
});
// The executable: cli/bin.ts (its version constant inlined), as CommonJS so `--version` never sets
// up Node's ES module loader; its `import("./main.ts")` becomes cli/start/bundled-main.ts, which
// runs cli.cjs with the code cache.
const executable = await esbuild.build({
  ...common,
  entryPoints: { bin: "cli/bin.ts" },
  outExtension: { ".js": ".cjs" },
  format: "cjs",
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
Object.assign(result.metafile.outputs, cli.metafile.outputs, executable.metafile.outputs);
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
process.stdout.write(
  `bundled the CLI into ${outdir} (${Object.keys(result.metafile.outputs).length} files, ` +
    `${(bytes / 1024).toFixed(0)} KiB) in ${(performance.now() - started).toFixed(0)} ms\n`,
);
