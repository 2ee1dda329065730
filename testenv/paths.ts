import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Root of the build cache and run state, outside the repository so clean clones reuse it. */
export function cacheRoot(env: Record<string, string | undefined> = process.env): string {
  return env["OPM_TESTENV_CACHE"] ?? join(homedir(), ".cache", "opm", "testenv");
}

/** Where `testenv up` keeps the state of the environment it started. */
export function stateFile(env: Record<string, string | undefined> = process.env): string {
  return join(cacheRoot(env), "run", "state.json");
}

/** The folder holding build.sh and reaper.sh, found from this file in source or compiled form. */
export function scriptsDir(): string {
  const here = fileURLToPath(new URL(".", import.meta.url));
  return here.includes(`${join("dist", "testenv")}`) ? join(here, "..", "..", "testenv") : here;
}
