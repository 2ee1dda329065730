// `opm mod get`, `update` and `tidy` share this: the requirements of a module version (its
// module.cue from the registry), minimum version selection over them, and writing the result
// into the main module's module.cue as the full build list, the way `cue mod tidy` does.
import type { CueEngine } from "../../bridge/index.ts";
import {
  compareSemVer,
  latestOf,
  minimumVersionSelection,
  OciError,
  pullModuleFile,
  resolveModule,
  tryParseSemVer,
  type ModuleVersion,
} from "../../providers/oci/index.ts";
import { type Dependency, type ModuleFile, parseModuleFile } from "./module-file.ts";
import type { RegistryAccess } from "./registry.ts";

export function basePath(modulePath: string): string {
  return modulePath.replace(/@v\d+$/, "");
}

/** Reads `path@version` (`example.com/lib@v0.2.0`, or `example.com/lib@v0@v0.2.0`). */
export function parseModuleVersion(arg: string): ModuleVersion {
  const at = arg.lastIndexOf("@");
  const version = at < 0 ? "" : arg.slice(at + 1);
  const semver = tryParseSemVer(version);
  if (at <= 0 || semver === undefined) {
    throw new OciError("InvalidReference", {
      message: `${arg} is not <module path>@<version>`,
      hint: "write e.g. example.com/lib@v0.2.0 (a full version; `latest` is not accepted)",
    });
  }
  const path = arg.slice(0, at);
  const major = `v${semver.major}`;
  const given = /@(v\d+)$/.exec(path)?.[1];
  if (given !== undefined && given !== major) {
    throw new OciError("InvalidModuleVersion", {
      message: `${arg}: version ${version} is not of major ${given}`,
    });
  }
  return { path: `${basePath(path)}@${major}`, version };
}

/** The requirements of module versions, fetched once each. */
export function requirementsReader(access: RegistryAccess, engine: CueEngine) {
  const cache = new Map<string, Promise<readonly ModuleVersion[]>>();
  return (module: ModuleVersion): Promise<readonly ModuleVersion[]> => {
    const key = `${module.path}@${module.version}`;
    let pending = cache.get(key);
    if (pending === undefined) {
      pending = (async () => {
        const target = resolveModule(access.config, module.path);
        const text = await pullModuleFile(
          access.client,
          { host: target.host, repository: target.repository },
          module.version,
        );
        const file = await parseModuleFile(engine, text.toString("utf8"), `${key}/cue.mod/module.cue`);
        return Object.entries(file.deps ?? {}).map(([path, dep]) => ({ path, version: dep.v }));
      })();
      cache.set(key, pending);
    }
    return pending;
  };
}

/** Published versions of a module path's major, sorted. */
export async function versionsOf(
  access: RegistryAccess,
  modulePath: string,
  anyMajor = false,
): Promise<string[]> {
  const target = resolveModule(access.config, modulePath);
  const tags = await access.client.listTags({ host: target.host, repository: target.repository });
  const major = /@(v\d+)$/.exec(modulePath)?.[1];
  return tags
    .filter((tag) => /^v\d+\.\d+\.\d+/.test(tag) && latestOf([tag], { prerelease: true }) === tag)
    .filter((tag) => anyMajor || major === undefined || tag.startsWith(`${major}.`))
    .sort(compareSemVer);
}

/**
 * The new deps of the main module: MVS over `roots`, every module of the build list listed,
 * `default: true` on those in `defaults`.
 */
export async function resolveDeps(
  main: ModuleFile,
  roots: readonly ModuleVersion[],
  defaults: ReadonlySet<string>,
  requirementsOf: (m: ModuleVersion) => Promise<readonly ModuleVersion[]>,
): Promise<Record<string, Dependency>> {
  const list = await minimumVersionSelection(roots, requirementsOf);
  list.delete(main.module);
  const deps: Record<string, Dependency> = {};
  for (const [path, version] of list)
    deps[path] = defaults.has(path) ? { v: version, default: true } : { v: version };
  return deps;
}

export function rootsOf(file: ModuleFile): ModuleVersion[] {
  return Object.entries(file.deps ?? {}).map(([path, dep]) => ({ path, version: dep.v }));
}

export function defaultsOf(file: ModuleFile): Set<string> {
  return new Set(
    Object.entries(file.deps ?? {})
      .filter(([, dep]) => dep.default === true)
      .map(([path]) => path),
  );
}
