// `npm run build:cli`: bundles the CLI and the public entries it loads into dist/opm/ with esbuild
// (docs/architecture.md, "Speed budget"): one ES module graph with shared chunks instead of hundreds of small
// files, so start-up skips most module resolution. bin.ts prefers dist/opm/cli.js when present.
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
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
process.stdout.write(
  `bundled the CLI into ${outdir} (${Object.keys(result.metafile.outputs).length} files, ` +
    `${(bytes / 1024).toFixed(0)} KiB) in ${(performance.now() - started).toFixed(0)} ms\n`,
);
