// Where the CLI keeps what it can recompute (engine answers, V8 code caches): one directory per
// kind under `$OPM_CACHE_DIR`, else `$XDG_CACHE_HOME/opm` (default `~/.cache/opm`).
import { join, resolve } from "node:path";

type Env = Readonly<Record<string, string | undefined>>;

/** `<cache root>/<kind>`, or undefined when the environment names no place for a cache. */
export function opmCacheDir(env: Env, kind: string): string | undefined {
  const override = env["OPM_CACHE_DIR"];
  if (override !== undefined && override !== "") return resolve(override, kind);
  const xdg = env["XDG_CACHE_HOME"];
  if (xdg !== undefined && xdg !== "") return join(xdg, "opm", kind);
  const home = env["HOME"] ?? env["USERPROFILE"];
  if (home !== undefined && home !== "") return join(home, ".cache", "opm", kind);
  return undefined;
}
