// Minimum version selection, as Go and CUE resolve module dependencies: from the roots, walk
// every requirement of every version met, and keep, per module path (with its major version),
// the highest version required anywhere. Deterministic and without a solver: the result is the
// lowest set of versions that satisfies every stated minimum.
import { compareSemVer } from "./semver.ts";

/** One version of one CUE module: a node of the dependency graph. */
export interface ModuleVersion {
  /** Module path with its major version, e.g. `example.com/lib@v0`. */
  readonly path: string;
  /** The version, `vX.Y.Z` as CUE writes it. */
  readonly version: string;
}

/** The requirements (module.cue `deps`) of one module version. */
export type RequirementsOf = (module: ModuleVersion) => Promise<readonly ModuleVersion[]>;

/**
 * The build list: module path → selected version, for every module reachable from `roots`
 * (the roots themselves included), sorted by path.
 */
export async function minimumVersionSelection(
  roots: readonly ModuleVersion[],
  requirementsOf: RequirementsOf,
): Promise<Map<string, string>> {
  const selected = new Map<string, string>();
  const seen = new Set<string>();
  let frontier = [...roots];
  while (frontier.length > 0) {
    const next: ModuleVersion[] = [];
    for (const module of frontier) {
      const key = `${module.path} ${module.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const current = selected.get(module.path);
      if (current === undefined || compareSemVer(module.version, current) > 0)
        selected.set(module.path, module.version);
      next.push(...(await requirementsOf(module)));
    }
    frontier = next;
  }
  return new Map([...selected.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
