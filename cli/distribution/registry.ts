// The registry side of the distribution commands: which registry serves a module (the same
// CUE_REGISTRY setting CUE modules' dependencies resolve through), and a client that trusts
// the configured CA and reads credentials from Docker's config.json.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { CredentialStore, RegistryClient, RegistryConfig } from "../../providers/oci/index.ts";
import { loadConfig, type LoadedConfig } from "../config/load.ts";
import { configPath, registrySetting, type Resolved } from "../config/settings.ts";

export interface RegistryFlags {
  readonly registry?: string | undefined;
  readonly caFile?: string | undefined;
  readonly configPath?: string | undefined;
  /** The run's configuration when the command has read it already (else read from configPath). */
  readonly config?: (() => Promise<LoadedConfig>) | undefined;
  readonly timeoutMs?: number | undefined;
}

export interface RegistryAccess {
  readonly client: RegistryClient;
  readonly config: RegistryConfig;
  readonly setting: Resolved<string | undefined>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** `--ca-file` > OPM_REGISTRY_CA: PEM certificates trusted besides the system's. */
async function caCertificates(flags: RegistryFlags, env: Env, cwd: string): Promise<string | undefined> {
  const file = flags.caFile ?? env["OPM_REGISTRY_CA"];
  if (file === undefined || file === "") return undefined;
  try {
    return await readFile(resolve(cwd, file), "utf8");
  } catch (error) {
    const { OciError } = await import("../../providers/oci/index.ts");
    throw new OciError("FileUnreadable", {
      message: `the CA file ${file} cannot be read: ${(error as Error).message}`,
      hint: "pass a PEM file with --ca-file or OPM_REGISTRY_CA",
    });
  }
}

/** Refuses a --ca-file that cannot be read even where no registry is asked (a local module). */
export async function checkCaFile(flags: RegistryFlags, env: Env, cwd: string): Promise<void> {
  await caCertificates(flags, env, cwd);
}

/** A client for hosts given directly (references, logins), plain HTTP only for loopback or `insecure`. */
export async function registryClientFor(
  flags: RegistryFlags,
  env: Env,
  cwd: string,
  options: { readonly plainHttp?: (host: string) => boolean; readonly credentials?: CredentialStore } = {},
): Promise<RegistryClient> {
  const oci = await import("../../providers/oci/index.ts");
  const ca = await caCertificates(flags, env, cwd);
  return new oci.RegistryClient({
    transport: oci.nodeTransport(ca === undefined ? {} : { ca }),
    credentials: options.credentials ?? oci.dockerCredentials({ env }),
    ...(options.plainHttp === undefined ? {} : { plainHttp: options.plainHttp }),
    ...(flags.timeoutMs === undefined ? {} : { timeoutMs: flags.timeoutMs }),
    userAgent: "opm",
  });
}

/** The registry setting (--registry > OPM_REGISTRY > config > CUE_REGISTRY) and a client for it. */
export async function registryAccess(flags: RegistryFlags, env: Env, cwd: string): Promise<RegistryAccess> {
  const oci = await import("../../providers/oci/index.ts");
  const loaded = await (flags.config?.() ?? loadConfig(configPath(flags.configPath, env, cwd)));
  const setting = registrySetting(flags.registry, env, loaded.config);
  const config = oci.parseRegistryConfig(setting.value);
  const client = await registryClientFor(flags, env, cwd, { plainHttp: oci.plainHttpHosts(config) });
  return { client, config, setting };
}
