import { homedir } from "node:os";
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Root of the build cache and run state, outside the repository so clean clones reuse it. */
export function cacheRoot(env: Readonly<Record<string, string | undefined>>): string {
  return env["OPM_TESTENV_CACHE"] ?? join(homedir(), ".cache", "opm", "testenv");
}

/** Where `testenv up` keeps the state of the environment it started. */
export function stateFile(env: Readonly<Record<string, string | undefined>>): string {
  return join(cacheRoot(env), "run", "state.json");
}

/**
 * The folder holding build.sh, reaper.sh and versions.env: this file's own folder in the sources;
 * `<package>/testenv` when running compiled or bundled code from `<package>/dist/...`.
 */
export function scriptsDir(): string {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const dist = here.lastIndexOf(`${sep}dist${sep}`);
  return dist >= 0 ? join(here.slice(0, dist), "testenv") : here;
}
