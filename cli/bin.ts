#!/usr/bin/env node
// The `opm` executable. `--version` is answered before anything else loads, so it costs about a
// bare `node` start; every other command runs the clipanion CLI in main.ts.
//
// Which main.ts is decided when it is built, never at run time: tsc's output (dist/cli/bin.js, the
// development entry) loads dist/cli/main.js beside it, and the package's executable
// (dist/opm/bin.cjs, made by cli/build-bundle.ts from this file) runs the CLI bundled as one
// CommonJS file, dist/opm/cli.cjs, with a V8 code cache (cli/start/bundled-main.ts). The
// executable is CommonJS on purpose: Node starts a CommonJS file without setting up its ES module
// loader, which `--version` then never needs. So this file uses neither top-level await nor
// import.meta.
import { VERSION } from "../sdk/version.ts";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  process.stdout.write(`${VERSION}\n`);
} else {
  void import("./main.ts").then(async ({ runCli }) => {
    process.exitCode = await runCli(argv, {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
    });
  });
}
