// `opm mod tidy` (no `cue` binary needed): the module's imports decide its dependencies. Each
// import is served by a dependency already listed (the longest module path that contains it),
// else by the latest version of the longest module path found in the registry; minimum version
// selection over those gives the build list written to module.cue. Unused dependencies go.
import { latestOf, OciError, type ModuleVersion } from "../../providers/oci/index.ts";
import { startCueEngine } from "../cue-engine.ts";
import { basePath, requirementsReader, resolveDeps, versionsOf } from "./dependencies.ts";
import { moduleImports } from "./imports.ts";
import { formatModuleFile, readModuleFile, writeModuleFile, type ModuleFile } from "./module-file.ts";
import { registryAccess, type RegistryAccess, type RegistryFlags } from "./registry.ts";
import { resolve } from "node:path";

export interface TidyResult {
  readonly deps: Readonly<Record<string, string>>;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

const within = (path: string, base: string) => path === base || path.startsWith(`${base}/`);

async function moduleFor(
  access: RegistryAccess,
  file: ModuleFile,
  pkgPath: string,
  major: string | undefined,
  importer: string,
): Promise<ModuleVersion> {
  const listed = Object.entries(file.deps ?? {})
    .filter(
      ([path]) => within(pkgPath, basePath(path)) && (major === undefined || path.endsWith(`@${major}`)),
    )
    .sort(([a], [b]) => b.length - a.length)[0];
  if (listed !== undefined) return { path: listed[0], version: listed[1].v };
  const parts = pkgPath.split("/");
  for (let n = parts.length; n >= 2; n--) {
    const candidate = parts.slice(0, n).join("/");
    const versions = await versionsOf(access, major === undefined ? candidate : `${candidate}@${major}`);
    const latest = latestOf(versions) ?? latestOf(versions, { prerelease: true });
    if (latest !== undefined) return { path: `${candidate}@${/^v(\d+)/.exec(latest)![0]}`, version: latest };
  }
  throw new OciError("DependencyConflict", {
    message: `no module in the registry provides the import "${pkgPath}${major === undefined ? "" : `@${major}`}" (in ${importer})`,
    hint: "publish the module that holds it, or route its path to the right registry with --registry",
    location: { file: importer },
  });
}

export async function tidyModule(
  dir: string,
  flags: RegistryFlags,
  cwd: string,
  env: Env,
  check: boolean,
): Promise<TidyResult> {
  const root = resolve(cwd, dir);
  const access = await registryAccess(flags, env, cwd);
  const engine = await startCueEngine({ env });
  try {
    const { file, text } = await readModuleFile(engine, root);
    const mainBase = basePath(file.module);
    const roots: ModuleVersion[] = [];
    const defaults = new Set<string>();
    for (const use of await moduleImports(root)) {
      const major = /@(v\d+)$/.exec(use.path)?.[1];
      const pkgPath = use.path.replace(/@v\d+$/, "");
      if (within(pkgPath, mainBase)) continue;
      const module = await moduleFor(access, file, pkgPath, major, `${root}/${use.file}`);
      if (!roots.some((r) => r.path === module.path)) roots.push(module);
      if (major === undefined) defaults.add(module.path);
    }
    const deps = await resolveDeps(file, roots, defaults, requirementsReader(access, engine));
    const next = await formatModuleFile(engine, { ...file, deps });
    const before = Object.keys(file.deps ?? {});
    const after = Object.keys(deps);
    const changed = next !== text;
    if (changed && !check) await writeModuleFile(root, next);
    return {
      deps: Object.fromEntries(Object.entries(deps).map(([p, d]) => [p, d.v])),
      added: after.filter((p) => !before.includes(p)),
      removed: before.filter((p) => !after.includes(p)),
      changed,
    };
  } finally {
    await engine.close();
  }
}
