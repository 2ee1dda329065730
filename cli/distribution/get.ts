// `opm mod get`: add or move a dependency of the module here (like `cue mod get`, with MVS over
// the requirements), or with `--output` download a module version into a directory. Either way
// every digest is checked and `--verify-key` demands a valid cosign signature first.
import { startCueEngine } from "../cue-engine.ts";
import { pullModule, resolveModule, writeTreeAtomically } from "../../providers/oci/index.ts";
import {
  basePath,
  defaultsOf,
  parseModuleVersion,
  requirementsReader,
  resolveDeps,
  rootsOf,
} from "./dependencies.ts";
import { formatModuleFile, readModuleFile, writeModuleFile } from "./module-file.ts";
import { registryAccess, type RegistryFlags } from "./registry.ts";
import { resolve } from "node:path";

export interface GetRequest {
  readonly modules: readonly string[];
  readonly dir: string;
  readonly output?: string | undefined;
  readonly verifyKey?: string | undefined;
  readonly flags: RegistryFlags;
}

export interface GetResult {
  readonly modules: readonly {
    readonly module: string;
    readonly version: string;
    readonly digest: string;
    readonly verified: boolean;
  }[];
  /** The main module's deps after the change (dependency mode). */
  readonly deps?: Readonly<Record<string, string>>;
  readonly output?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export async function getModules(request: GetRequest, cwd: string, env: Env): Promise<GetResult> {
  const wanted = request.modules.map(parseModuleVersion);
  const signing = request.verifyKey === undefined ? undefined : await import("./signing.ts");
  const key =
    request.verifyKey === undefined ? undefined : await signing!.loadVerifyKey(request.verifyKey, cwd);
  const access = await registryAccess(request.flags, env, cwd);
  const fetched: { module: string; version: string; digest: string; verified: boolean }[] = [];
  // Every wanted version is fetched whole: its digests checked, its archive checked, its
  // signature verified, before anything is written.
  const artifacts = [];
  for (const module of wanted) {
    const target = resolveModule(access.config, module.path);
    const repo = { host: target.host, repository: target.repository };
    const artifact = await pullModule(access.client, repo, module.version);
    if (key !== undefined) await signing!.verifyManifest(access.client, repo, artifact.manifestDigest, key);
    fetched.push({
      module: module.path,
      version: module.version,
      digest: artifact.manifestDigest,
      verified: request.verifyKey !== undefined,
    });
    artifacts.push(artifact);
  }
  if (request.output !== undefined) {
    const out = resolve(cwd, request.output);
    if (artifacts.length === 1) await writeTreeAtomically(out, artifacts[0]!.files);
    else {
      for (const [i, artifact] of artifacts.entries()) {
        const name = `${basePath(wanted[i]!.path).replaceAll("/", "_")}@${wanted[i]!.version}`;
        await writeTreeAtomically(resolve(out, name), artifact.files);
      }
    }
    return { modules: fetched, output: out };
  }
  const engine = await startCueEngine({ env });
  try {
    const dir = resolve(cwd, request.dir);
    const { file } = await readModuleFile(engine, dir);
    const roots = rootsOf(file).filter((r) => !wanted.some((w) => w.path === r.path));
    const defaults = defaultsOf(file);
    // Like cue mod get, a dependency becomes a default major only through `tidy`, from imports.
    roots.push(...wanted);
    const deps = await resolveDeps(file, roots, defaults, requirementsReader(access, engine));
    await writeModuleFile(dir, await formatModuleFile(engine, { ...file, deps }));
    return { modules: fetched, deps: Object.fromEntries(Object.entries(deps).map(([p, d]) => [p, d.v])) };
  } finally {
    await engine.close();
  }
}
