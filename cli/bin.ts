#!/usr/bin/env node
// The `opm` executable. `--version` is answered before anything heavy loads, so it stays near a bare
// `node` start; every other command goes through the clipanion CLI in main.ts, or through its
// esbuild bundle (dist/opm/cli.js, `npm run build:cli`) when that is at least as new as main.js:
// the bundle starts faster, and a stale one from before the last build is never used.
import { statSync } from "node:fs";
import { VERSION } from "../sdk/version.ts";

import type { runCli as RunCli } from "./main.ts";

type Main = { runCli: typeof RunCli };

function newestEntry(): string {
  const bundle = new URL("../opm/cli.js", import.meta.url);
  const main = new URL("./main.js", import.meta.url);
  const bundled = statSync(bundle, { throwIfNoEntry: false });
  const compiled = statSync(main, { throwIfNoEntry: false });
  return bundled !== undefined && (compiled === undefined || bundled.mtimeMs >= compiled.mtimeMs)
    ? bundle.href
    : "./main.ts";
}

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const entry = newestEntry();
  const { runCli } = (entry === "./main.ts" ? await import("./main.ts") : await import(entry)) as Main;
  process.exitCode = await runCli(argv, {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
}
