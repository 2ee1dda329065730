// CUE modules as OCI artefacts, exactly as `cue mod publish` writes them (cuelang.org/go
// mod/modregistry): repository = module path without its major version, tag = the version, an
// image manifest whose config is `{}` of type application/vnd.cue.module.v1+json and whose two
// layers are the module zip and the raw cue.mod/module.cue. What we publish, `cue` consumes; what
// `cue mod publish` publishes, we consume.
import type { Repository, RegistryClient } from "./client.ts";
import { OciError } from "./errors.ts";
import { type Descriptor, descriptorOf, type ImageManifest, MediaType } from "./media-types.ts";
import { readZip, writeZip, type ZipLimits } from "./zip.ts";

/**
 * The media types of a CUE module artefact as `cue mod publish` writes them: the `{}` config, the
 * module zip layer and the raw cue.mod/module.cue layer.
 */
export const CueMediaType = {
  moduleConfig: "application/vnd.cue.module.v1+json",
  moduleZip: "application/zip",
  moduleFile: "application/vnd.cue.modulefile.v1",
} as const;

/** The file every CUE module holds, and a module artefact carries as its own layer. */
export const MODULE_FILE = "cue.mod/module.cue";

/** A CUE module pulled from a registry: its files, checked, and the manifest they came from. */
export interface ModuleArtifact {
  /** Files by path relative to the module root; holds cue.mod/module.cue. */
  readonly files: ReadonlyMap<string, Buffer>;
  /** The digest of the module's manifest, what pins this exact content. */
  readonly manifestDigest: string;
  /** The module's image manifest (config, zip layer, module file layer, annotations). */
  readonly manifest: ImageManifest;
}

/** How `pushModule` publishes a version. */
export interface PushModuleOptions {
  /** Replace a version that exists. @default false */
  readonly force?: boolean;
  /** Manifest annotations (CUE's org.cuelang.vcs-* or our own). */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Builds the zip and manifest of a module; pure, so the digest is known before any upload. */
function packModule(
  files: ReadonlyMap<string, Uint8Array>,
  annotations?: Readonly<Record<string, string>>,
): { readonly zip: Buffer; readonly moduleFile: Buffer; readonly config: Buffer; readonly manifest: Buffer } {
  const moduleFile = files.get(MODULE_FILE);
  if (moduleFile === undefined) {
    throw new OciError("InvalidModuleFile", {
      message: `a CUE module needs ${MODULE_FILE}`,
      hint: "run `opm mod init` or add cue.mod/module.cue",
    });
  }
  checkModuleFiles([...files.keys()]);
  const zip = writeZip(files);
  const config = Buffer.from("{}");
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.imageManifest,
    config: descriptorOf(CueMediaType.moduleConfig, config),
    layers: [descriptorOf(CueMediaType.moduleZip, zip), descriptorOf(CueMediaType.moduleFile, moduleFile)],
    ...(annotations === undefined || Object.keys(annotations).length === 0
      ? {}
      : { annotations: sortKeys(annotations) }),
  };
  return {
    zip,
    moduleFile: Buffer.from(moduleFile),
    config,
    manifest: Buffer.from(JSON.stringify(manifest)),
  };
}

function sortKeys(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** CUE's rules for what a module zip may hold (mod/modzip). */
function checkModuleFiles(paths: readonly string[]): void {
  const folded = new Map<string, string>();
  for (const path of paths) {
    if (/^cue\.mod\/(pkg|usr|gen)\//.test(path)) {
      throw new OciError("UnsafeArchive", {
        message: `${path}: cue.mod/pkg, usr and gen are not part of a published module`,
        hint: "remove those directories before publishing (dependencies come from the registry)",
      });
    }
    const lower = path.toLowerCase();
    const other = folded.get(lower);
    if (other !== undefined) {
      throw new OciError("UnsafeArchive", { message: `${path} and ${other} differ only in letter case` });
    }
    folded.set(lower, path);
  }
}

/**
 * Publishes a module version. Refuses to replace an existing version unless `force`; blobs the
 * repository already holds are not uploaded again.
 */
export async function pushModule(
  client: RegistryClient,
  repo: Repository,
  version: string,
  files: ReadonlyMap<string, Uint8Array>,
  options: PushModuleOptions = {},
): Promise<Descriptor & { readonly replaced: boolean }> {
  const packed = packModule(files, options.annotations);
  const existing = await client.headManifest(repo, version);
  if (existing !== undefined && options.force !== true) {
    throw new OciError("VersionExists", {
      message: `${repo.host}/${repo.repository}:${version} is already published (${existing.digest})`,
      hint: "publish a new version; --force replaces it, which breaks everyone who pinned it",
      details: { digest: existing.digest },
    });
  }
  for (const blob of [packed.config, packed.zip, packed.moduleFile]) await client.pushBlob(repo, blob);
  const pushed = await client.pushManifest(repo, version, packed.manifest, MediaType.imageManifest);
  return {
    mediaType: pushed.mediaType,
    digest: pushed.digest,
    size: pushed.size,
    replaced: existing !== undefined,
  };
}

/** Downloads a module version (tag or digest), checking every digest and the archive's safety. */
export async function pullModule(
  client: RegistryClient,
  repo: Repository,
  reference: string,
  limits: ZipLimits = {},
): Promise<ModuleArtifact> {
  const pulled = await client.pullManifest(repo, reference, [MediaType.imageManifest]);
  const manifest = pulled.json as unknown as ImageManifest;
  const where = `${repo.host}/${repo.repository}:${reference}`;
  const layers = manifest.layers ?? [];
  if (
    manifest.config?.mediaType !== CueMediaType.moduleConfig ||
    layers.length !== 2 ||
    layers[0]?.mediaType !== CueMediaType.moduleZip ||
    layers[1]?.mediaType !== CueMediaType.moduleFile
  ) {
    throw new OciError("InvalidManifest", {
      message: `${where} is not a CUE module (config ${manifest.config?.mediaType ?? "none"}, ${layers.length} layers)`,
      hint: "CUE modules have a config of type application/vnd.cue.module.v1+json and two layers: the zip and module.cue",
    });
  }
  const zipLimit = limits.maxTotalBytes ?? 500 * 1024 * 1024;
  const zip = await client.pullBlob(repo, layers[0], zipLimit);
  const moduleFile = await client.pullBlob(repo, layers[1], 16 * 1024 * 1024);
  const files = readZip(zip, limits);
  const inZip = files.get(MODULE_FILE);
  if (inZip === undefined || !inZip.equals(moduleFile)) {
    throw new OciError("InvalidManifest", {
      message: `${where}: the zip's ${MODULE_FILE} ${inZip === undefined ? "is missing" : "differs from the module file layer"}`,
      hint: "the artefact is inconsistent or was tampered with; do not use it",
    });
  }
  return { files, manifestDigest: pulled.digest, manifest };
}

/** Only a version's cue.mod/module.cue (the small second layer), for dependency resolution. */
export async function pullModuleFile(
  client: RegistryClient,
  repo: Repository,
  version: string,
): Promise<Buffer> {
  const pulled = await client.pullManifest(repo, version, [MediaType.imageManifest]);
  const manifest = pulled.json as unknown as ImageManifest;
  const layer = manifest.layers?.[1];
  if (
    manifest.config?.mediaType !== CueMediaType.moduleConfig ||
    layer?.mediaType !== CueMediaType.moduleFile
  ) {
    throw new OciError("InvalidManifest", {
      message: `${repo.host}/${repo.repository}:${version} is not a CUE module`,
    });
  }
  return client.pullBlob(repo, layer, 16 * 1024 * 1024);
}
