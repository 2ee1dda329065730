// Media types and descriptors of the OCI image spec (v1.1) the client reads and writes.
import { createHash } from "node:crypto";

export const MediaType = {
  imageManifest: "application/vnd.oci.image.manifest.v1+json",
  imageIndex: "application/vnd.oci.image.index.v1+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  emptyJson: "application/vnd.oci.empty.v1+json",
  imageConfig: "application/vnd.oci.image.config.v1+json",
} as const;

/** Every manifest type the client accepts on pull. */
export const MANIFEST_TYPES: readonly string[] = [
  MediaType.imageManifest,
  MediaType.imageIndex,
  MediaType.dockerManifest,
  MediaType.dockerManifestList,
];

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ImageManifest {
  readonly schemaVersion: 2;
  readonly mediaType: string;
  readonly artifactType?: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ImageIndex {
  readonly schemaVersion: 2;
  readonly mediaType: string;
  readonly artifactType?: string;
  readonly manifests: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** `sha256:<hex>` of bytes. */
export function digestOf(data: Uint8Array): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

export function descriptorOf(
  mediaType: string,
  data: Uint8Array,
  extra: { readonly annotations?: Readonly<Record<string, string>>; readonly artifactType?: string } = {},
): Descriptor {
  return { mediaType, digest: digestOf(data), size: data.byteLength, ...extra };
}

/** The OCI 1.1 fallback tag of a subject digest: `sha256-<hex>`. */
export function fallbackTag(digest: string): string {
  return digest.replace(":", "-");
}
