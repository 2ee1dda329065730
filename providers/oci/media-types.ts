// Media types and descriptors of the OCI image spec (v1.1) the client reads and writes.
import { createHash } from "node:crypto";

/**
 * The manifest and config media types the client reads and writes: OCI's, and Docker's v2 ones it
 * accepts on pull.
 */
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

/**
 * What a manifest says about one piece of content (OCI image spec): enough to fetch it and check
 * it.
 */
export interface Descriptor {
  /** What the content is, e.g. `application/zip`. */
  readonly mediaType: string;
  /** `sha256:<hex>` of the content; what it is fetched by and checked against. */
  readonly digest: string;
  /** The content's size in bytes, checked on pull. */
  readonly size: number;
  /** The artefact type of a referring manifest, e.g. a signature's. */
  readonly artifactType?: string;
  /** Free-form string metadata. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** An OCI image manifest: a config and layers, optionally referring to another manifest (`subject`). */
export interface ImageManifest {
  /** Always 2. */
  readonly schemaVersion: 2;
  /** The manifest's own media type. */
  readonly mediaType: string;
  /** What kind of artefact this is, when the config does not say. */
  readonly artifactType?: string;
  /** The config blob (`{}` for a CUE module). */
  readonly config: Descriptor;
  /** The content blobs, in order. */
  readonly layers: readonly Descriptor[];
  /** The manifest this one refers to (a signature's signed artefact). */
  readonly subject?: Descriptor;
  /** Manifest annotations, e.g. `org.opencontainers.image.created`. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** An OCI image index: a list of manifests, e.g. one per platform. */
export interface ImageIndex {
  /** Always 2. */
  readonly schemaVersion: 2;
  /** The index's own media type. */
  readonly mediaType: string;
  /** What kind of artefact this is. */
  readonly artifactType?: string;
  /** The manifests the index lists. */
  readonly manifests: readonly Descriptor[];
  /** The manifest this index refers to. */
  readonly subject?: Descriptor;
  /** Index annotations. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** `sha256:<hex>` of bytes. */
export function digestOf(data: Uint8Array): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** The descriptor of `data` under `mediaType`, with its digest and size computed. */
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
