// `npm run build:cli`: bundles the CLI and the public entries it loads into dist/opm/ with esbuild
// (docs/architecture.md, "Speed budget"): one ES module graph with shared chunks instead of hundreds of small
// files, so start-up skips most module resolution. The package's executable, dist/opm/bin.cjs, is
// built here from cli/bin.ts and loads dist/opm/cli.js: which entry runs is fixed at build time.
// Modules a user writes import `@opm/sdk/...`; the CLI links those to the same bundled entries
// (module/self.ts), so a module and the CLI share one copy of sdk, dsl and zod.
//
// Heavy or native-bound packages stay external and load on demand: esbuild (bundling modules on
// a cache miss), the Kubernetes client, ts-morph, prettier.
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

export const BUNDLE_ENTRIES = {
  cli: "cli/main.ts",
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
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: BUNDLE_ENTRIES,
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  conditions: ["@opm/source"],
  external: ["esbuild", "@kubernetes/client-node", "ts-morph", "prettier"],
  // clipanion's ES build imports a directory, which Node refuses; Node loads its CommonJS build
  // and so does the bundle, which then needs a `require` for Node's built-ins.
  // yaml maps Node to its CommonJS build, whose named exports a dynamic import() would lose in
  // a bundle; its ES build (published for browsers, no Node APIs) keeps them.
  alias: {
    clipanion: "./node_modules/clipanion/lib/advanced/index.js",
    yaml: "./node_modules/yaml/browser/index.js",
  },
  banner: {
    js: 'import { createRequire as __opmCreateRequire } from "node:module"; const require = __opmCreateRequire(import.meta.url);',
  },
  // Less to parse at every start; identifiers stay, so --debug stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  logLevel: "warning",
});
// The executable: cli/bin.ts alone (its version constant inlined), as CommonJS so `--version`
// never sets up Node's ES module loader; its `import("./main.ts")` becomes the bundle's cli.js.
const executable = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { bin: "cli/bin.ts" },
  outdir,
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  conditions: ["@opm/source"],
  plugins: [
    {
      name: "bundled-main",
      setup(build) {
        build.onResolve({ filter: /^\.\/main\.ts$/ }, () => ({ path: "./cli.js", external: true }));
      },
    },
  ],
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  logLevel: "warning",
});
Object.assign(result.metafile.outputs, executable.metafile.outputs);
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
process.stdout.write(
  `bundled the CLI into ${outdir} (${Object.keys(result.metafile.outputs).length} files, ` +
    `${(bytes / 1024).toFixed(0)} KiB) in ${(performance.now() - started).toFixed(0)} ms\n`,
);
