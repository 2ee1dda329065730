// Runs the CLI in-process with captured streams, a throwaway HOME (so no user config leaks in)
// and the repository root as working directory, so outputs hold stable relative paths.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { runCli } from "../main.ts";
import { reuseModuleWorkers } from "../module/runner.ts";

// Runs in one test file share one module worker while it stays healthy (starting one from the
// TypeScript sources costs about a second); a test that stops or crashes it gets a fresh one.
reuseModuleWorkers(true);

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export function tempDir(prefix = "opm-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function run(
  argv: string[],
  options: { env?: Record<string, string>; cwd?: string; stdin?: string } = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const env = { NO_COLOR: "1", HOME: tempDir("opm-home-"), ...options.env };
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? "");
  const code = await runCli(argv, {
    stdin,
    stdout,
    stderr,
    env,
    cwd: options.cwd ?? repoRoot,
  });
  return { code, out, err };
}
