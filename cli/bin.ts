#!/usr/bin/env node
// The `opm` executable. `--version` is answered before anything heavy loads, so it stays near a bare
// `node` start; every other command goes through the clipanion CLI in main.ts.
import { VERSION } from "../sdk/version.ts";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const { runCli } = await import("./main.ts");
  process.exitCode = await runCli(argv, {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
}
