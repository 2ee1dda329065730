// The CLI's ModuleHost for the dsl's loader (modules and `.ts` values files alike): the Node host
// with the CLI's cache directory, linking `@opm/sdk/...` imports (and, from the bundle, `zod`) to
// the copy running the CLI (self.ts), so a module and the CLI share one set of IR brands.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ModuleHost } from "../../dsl/index.ts";
import { createNodeModuleHost } from "../../dsl/node-host.ts";
import { isOpmError, OpmError } from "../../sdk/errors.ts";
import { VERSION } from "../../sdk/version.ts";
import { selfPackage } from "./self.ts";
import { workerHooks } from "./worker-hooks.ts";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where bundles of `file` are cached: `$OPM_CACHE_DIR/modules`, else
 * `<nearest node_modules>/.cache/opm-modules` (beside the project, like other tools' caches),
 * else `$XDG_CACHE_HOME/opm/modules` (default `~/.cache/opm/modules`).
 */
export function cacheDirFor(file: string, env: Env): string {
  const override = env["OPM_CACHE_DIR"];
  if (override !== undefined && override !== "") return resolve(override, "modules");
  let dir = dirname(file);
  for (;;) {
    if (existsSync(join(dir, "node_modules"))) return join(dir, "node_modules", ".cache", "opm-modules");
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const xdg = env["XDG_CACHE_HOME"];
  if (xdg !== undefined && xdg !== "") return join(xdg, "opm", "modules");
  const home = env["HOME"] ?? env["USERPROFILE"];
  if (home !== undefined && home !== "") return join(home, ".cache", "opm", "modules");
  return join(selfPackage().root, "node_modules", ".cache", "opm-modules");
}

/** The host that loads `file` (a module or a values file) for this CLI. */
export function createCliModuleHost(file: string, env: Env): ModuleHost {
  const self = selfPackage();
  // Outside sources mode, the repository's examples import our entries by relative path
  // (`../../dsl/index.ts`); those link to the running copy too instead of bundling a second.
  const files = new Map<string, string>();
  if (!self.fromSource) {
    for (const [source, specifier] of self.sourceEntries) {
      const entry = self.entries.get(specifier);
      if (entry !== undefined) files.set(source, entry);
    }
  }
  const host = createNodeModuleHost({
    cacheDir: cacheDirFor(file, env),
    links: {
      specifiers: new Map([...self.entries, ...self.bundledPackages]),
      files,
      // From sources our .ts entries are bundled (Node cannot import them); from dist, the
      // module imports the very files the CLI runs.
      external: !self.fromSource,
    },
    fallbackDir: self.root,
    // The bundler is pinned by this version; links point into this installation in this mode.
    // In the bundle, modules link to the worker through link files (links.ts), not to ES entries.
    runtimeId: `opm ${VERSION} ${self.mode === "bundle" ? "bundle+links" : self.mode} ${self.root}`,
  });
  const hooks = workerHooks();
  return hooks === undefined
    ? host
    : { ...host, importFile: (path) => hooks.importFile(pathToFileURL(path).href) };
}

/** The dsl's "does not compile" error as the CLI's, with the position and hint it carries. */
export function compileError(error: unknown): OpmError | undefined {
  if (!isOpmError(error) || error.key !== "ModuleLoad" || error.locations.length === 0) return undefined;
  return new OpmError("ModuleLoadFailed", {
    message: error.message,
    locations: error.locations,
    hint: error.hint,
    cause: error,
  });
}
