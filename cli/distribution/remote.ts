// Modules named by `<module path>@<version>` instead of a directory (Timoni's `apply name oci://…`):
// resolved through the configured registries, pulled once into a cache keyed by the artefact's
// digest (an immutable copy; a moved tag gives a new digest), and loaded from there. The release
// records where its module came from.
import { stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { ReleaseSource } from "../../providers/kubernetes/cluster/index.ts";
import { pullModule, resolveModule, tryParseSemVer, writeTreeAtomically } from "../../providers/oci/index.ts";
import { parseModuleVersion } from "./dependencies.ts";
import { registryAccess, type RegistryFlags } from "./registry.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** True when `path` reads as `<module path>@vX.Y.Z` and names no existing file or directory. */
export async function isRemoteModule(path: string, cwd: string): Promise<boolean> {
  const at = path.lastIndexOf("@");
  if (at <= 0 || tryParseSemVer(path.slice(at + 1)) === undefined) return false;
  if (!path.split("/")[0]!.includes(".")) return false;
  return (await stat(resolve(cwd, path)).catch(() => undefined)) === undefined;
}

export function moduleCacheDir(env: Env): string {
  return join(env["XDG_CACHE_HOME"] ?? join(env["HOME"] ?? homedir(), ".cache"), "opm", "modules");
}

export interface FetchedModule {
  readonly dir: string;
  readonly source: ReleaseSource;
}

/** Pulls (or finds in the cache) a published module version; returns its directory and source. */
export async function fetchRemoteModule(
  path: string,
  flags: RegistryFlags,
  cwd: string,
  env: Env,
): Promise<FetchedModule> {
  const wanted = parseModuleVersion(path);
  const access = await registryAccess(flags, env, cwd);
  const target = resolveModule(access.config, wanted.path);
  const repo = { host: target.host, repository: target.repository };
  const head = await access.client.headManifest(repo, wanted.version);
  const reference = `${target.host}/${target.repository}:${wanted.version}`;
  const source = (digest: string): ReleaseSource => ({
    kind: "registry",
    module: wanted.path,
    version: wanted.version,
    reference,
    digest,
  });
  if (head !== undefined) {
    const cached = join(
      moduleCacheDir(env),
      `${target.repository.replaceAll("/", "_")}@${head.digest.replace(":", "-")}`,
    );
    if ((await stat(join(cached, "cue.mod", "module.cue")).catch(() => undefined)) !== undefined)
      return { dir: cached, source: source(head.digest) };
  }
  const artifact = await pullModule(access.client, repo, wanted.version);
  const dir = join(
    moduleCacheDir(env),
    `${target.repository.replaceAll("/", "_")}@${artifact.manifestDigest.replace(":", "-")}`,
  );
  if ((await stat(dir).catch(() => undefined)) === undefined) await writeTreeAtomically(dir, artifact.files);
  return { dir, source: source(artifact.manifestDigest) };
}
