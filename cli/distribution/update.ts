// `opm mod update [dep...] [--check] [--major]`: move dependencies to their latest published
// version (within their major unless --major), then resolve the build list again by minimum
// version selection. `--check` only reports what would change.
import { compareSemVer, latestOf, OciError, type ModuleVersion } from "../../providers/oci/index.ts";
import { startCueEngine } from "../cue-engine.ts";
import {
  basePath,
  defaultsOf,
  requirementsReader,
  resolveDeps,
  rootsOf,
  versionsOf,
} from "./dependencies.ts";
import { formatModuleFile, readModuleFile, writeModuleFile } from "./module-file.ts";
import { registryAccess, type RegistryFlags } from "./registry.ts";
import { resolve } from "node:path";

export interface UpdateRequest {
  readonly dir: string;
  readonly only: readonly string[];
  readonly check: boolean;
  readonly major: boolean;
  readonly flags: RegistryFlags;
}

export interface Update {
  readonly module: string;
  readonly from: string;
  readonly to: string;
  /** The module path after the update (differs with --major). */
  readonly path: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export async function updateModule(
  request: UpdateRequest,
  cwd: string,
  env: Env,
): Promise<readonly Update[]> {
  const root = resolve(cwd, request.dir);
  const access = await registryAccess(request.flags, env, cwd);
  const engine = await startCueEngine({ env });
  try {
    const { file } = await readModuleFile(engine, root);
    const deps = Object.entries(file.deps ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of request.only) {
      if (!deps.some(([path]) => path === name || basePath(path) === basePath(name))) {
        throw new OciError("DependencyConflict", {
          message: `${name} is not a dependency of ${file.module}`,
          hint: "add it with `opm mod get <module>@<version>`",
        });
      }
    }
    const updates: Update[] = [];
    for (const [path, dep] of deps) {
      if (request.only.length > 0 && !request.only.some((n) => n === path || basePath(n) === basePath(path)))
        continue;
      const candidates = await versionsOf(access, request.major ? basePath(path) : path, request.major);
      const latest = latestOf(candidates);
      if (latest === undefined || compareSemVer(latest, dep.v) <= 0) continue;
      const newPath = `${basePath(path)}@v${/^v(\d+)/.exec(latest)![1]}`;
      updates.push({ module: path, from: dep.v, to: latest, path: newPath });
    }
    if (request.check || updates.length === 0) return updates;
    const defaults = defaultsOf(file);
    const roots: ModuleVersion[] = rootsOf(file).map((r) => {
      const update = updates.find((u) => u.module === r.path);
      if (update === undefined) return r;
      if (update.path !== r.path && defaults.delete(r.path)) defaults.add(update.path);
      return { path: update.path, version: update.to };
    });
    const resolved = await resolveDeps(file, roots, defaults, requirementsReader(access, engine));
    await writeModuleFile(root, await formatModuleFile(engine, { ...file, deps: resolved }));
    return updates;
  } finally {
    await engine.close();
  }
}
