// `opm mod publish`: find the module, turn it into the CUE module to publish, check its version
// against its module path, resolve its registry and push it (optionally signed).
import { startCueEngine } from "../cue-engine.ts";
import { majorOf, OciError, parseSemVer, pushModule, resolveModule } from "../../providers/oci/index.ts";
import { locateModule } from "../module/locate.ts";
import { parseModuleFile, MODULE_FILE } from "./module-file.ts";
import { registryAccess, type RegistryFlags } from "./registry.ts";
import { publishSource } from "./source.ts";

export interface PublishRequest {
  readonly path: string;
  readonly version: string;
  readonly force: boolean;
  readonly signKey?: string | undefined;
  readonly flags: RegistryFlags;
}

export interface PublishResult {
  readonly module: string;
  readonly version: string;
  readonly reference: string;
  readonly digest: string;
  readonly language: "cue" | "ts";
  readonly replaced: boolean;
  readonly signature?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export async function publishModule(
  request: PublishRequest,
  cwd: string,
  env: Env,
  note: (line: string) => void,
): Promise<PublishResult> {
  parseSemVer(request.version);
  const location = await locateModule(request.path, cwd);
  const access = await registryAccess(request.flags, env, cwd);
  // The key is read before anything is pushed: a wrong password must not leave an unsigned version.
  const signing = request.signKey === undefined ? undefined : await import("./signing.ts");
  const key =
    request.signKey === undefined ? undefined : await signing!.loadSigningKey(request.signKey, cwd, env);
  const engine = await startCueEngine({ env });
  try {
    const source = await publishSource(location, engine, env, access.setting.value);
    const moduleText = source.files.get(MODULE_FILE)!.toString("utf8");
    const moduleFile = await parseModuleFile(engine, moduleText, MODULE_FILE);
    const pathMajor = moduleFile.module.slice(moduleFile.module.lastIndexOf("@") + 1);
    if (majorOf(request.version) !== pathMajor) {
      throw new OciError("InvalidModuleVersion", {
        message: `${request.version} cannot be a version of ${moduleFile.module}: its major is ${majorOf(request.version)}, the module path's ${pathMajor}`,
        hint: `publish a ${pathMajor}.x.y version, or change the module path to …@${majorOf(request.version)}`,
      });
    }
    const target = resolveModule(access.config, moduleFile.module);
    const repo = { host: target.host, repository: target.repository };
    note(`publishing ${moduleFile.module}@${request.version} to ${target.host}/${target.repository}`);
    const pushed = await pushModule(access.client, repo, request.version, source.files, {
      force: request.force,
    });
    let signature: string | undefined;
    if (key !== undefined) signature = await signing!.signManifest(access.client, repo, pushed.digest, key);
    return {
      module: moduleFile.module,
      version: request.version,
      reference: `${target.host}/${target.repository}:${request.version}`,
      digest: pushed.digest,
      language: source.language,
      replaced: pushed.replaced,
      ...(signature === undefined ? {} : { signature }),
    };
  } finally {
    await engine.close();
  }
}
