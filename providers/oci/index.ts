// Public entry of `@opm/sdk/providers/oci`: the OCI distribution client, CUE modules as OCI
// artefacts, CUE_REGISTRY resolution, credentials from Docker's config, cosign signatures.
export {
  RegistryClient,
  type PulledManifest,
  type PushBlobOptions,
  type Referrers,
  type RegistryClientOptions,
  type Repository,
} from "./client.ts";
export {
  nodeTransport,
  type HttpTransport,
  type NodeTransportOptions,
  type TransportInit,
} from "./transport.ts";
export { DEFAULT_RETRY, type RetryPolicy } from "./http.ts";
export {
  dockerConfigPath,
  dockerCredentials,
  eraseDockerCredential,
  staticCredentials,
  storeDockerCredential,
  type Credential,
  type CredentialStore,
  type DockerConfigOptions,
  type LoginRecord,
} from "./credentials.ts";
export { OciError, isOciError, type OciErrorKey } from "./errors.ts";
export {
  MediaType,
  descriptorOf,
  digestOf,
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
} from "./media-types.ts";
export { formatReference, isDigest, parseReference, type Reference } from "./reference.ts";
export {
  compareSemVer,
  isSemVer,
  latestOf,
  majorOf,
  parseSemVer,
  tryParseSemVer,
  type SemVer,
} from "./semver.ts";
export {
  DEFAULT_CUE_REGISTRY,
  parseRegistryConfig,
  plainHttpHosts,
  resolveModule,
  type RegistryConfig,
  type RegistryLocation,
  type ResolvedModule,
} from "./registry-config.ts";
export {
  CueMediaType,
  MODULE_FILE,
  pullModule,
  pullModuleFile,
  pushModule,
  type ModuleArtifact,
  type PushModuleOptions,
} from "./cue-module.ts";
export type { ZipLimits } from "./zip.ts";
export { collectModuleFiles, writeTreeAtomically } from "./files.ts";
export { minimumVersionSelection, type ModuleVersion, type RequirementsOf } from "./mvs.ts";
export {
  readPrivateKey,
  readPublicKey,
  signManifestDigest,
  signatureTag,
  verifyManifestDigest,
} from "./cosign.ts";
