// The OCI distribution client: blobs (monolithic and chunked upload, cross-repository mount),
// manifests and indexes, tags, referrers (the API, else the OCI 1.1 fallback tag), with auth
// (anonymous, basic, bearer) and a digest check on everything pulled. Every request is bounded
// in time and retried on transient failures (http.ts).
import { basicHeader, parseChallenge, tokenFrom, tokenUrl } from "./auth.ts";
import type { CredentialStore } from "./credentials.ts";
import { OciError } from "./errors.ts";
import { DEFAULT_RETRY, errorFromResponse, readBody, type RetryPolicy, sendWithRetry } from "./http.ts";
import {
  type Descriptor,
  digestOf,
  fallbackTag,
  type ImageIndex,
  MANIFEST_TYPES,
  MediaType,
} from "./media-types.ts";
import { isDigest } from "./reference.ts";
import { type HttpTransport, nodeTransport } from "./transport.ts";

/** A repository in a registry: `{ host: "127.0.0.1:5000", repository: "team/app" }`. */
export interface Repository {
  /** The registry's host and port, e.g. `ghcr.io` or `127.0.0.1:5000`. */
  readonly host: string;
  /** The repository path inside the registry, e.g. `team/app`. */
  readonly repository: string;
}

/** How a RegistryClient reaches registries; every field has a default. */
export interface RegistryClientOptions {
  /** @default nodeTransport() */
  readonly transport?: HttpTransport;
  /** Where credentials come from; anonymous when absent. */
  readonly credentials?: CredentialStore;
  /** Hosts spoken to over plain HTTP. @default loopback hosts (localhost, 127.*, [::1]) */
  readonly plainHttp?: (host: string) => boolean;
  /** Time limit of one attempt of one request. @default 30000 */
  readonly timeoutMs?: number;
  /** How transient failures (network errors, 429, 502-504) are retried. @default DEFAULT_RETRY */
  readonly retry?: Partial<RetryPolicy>;
  /** Largest manifest accepted (the distribution spec's recommended 4 MiB). @default 4194304 */
  readonly maxManifestBytes?: number;
  /** Largest blob accepted on pull. @default 536870912 (CUE's module limit) */
  readonly maxBlobBytes?: number;
  /** Blobs larger than this are uploaded in chunks of this size. @default 16777216 */
  readonly chunkSize?: number;
  /** The `User-Agent` header. @default "opm" */
  readonly userAgent?: string;
}

/** A manifest or index as pulled, checked against its digest. */
export interface PulledManifest {
  /** The manifest's digest (`sha256:...`), as computed from the bytes. */
  readonly digest: string;
  /** The manifest's `mediaType` field, else the registry's `Content-Type`. */
  readonly mediaType: string;
  /** The manifest exactly as the registry sent it (what the digest is of). */
  readonly bytes: Buffer;
  /** The parsed manifest or index. */
  readonly json: Record<string, unknown>;
}

/** How `pushBlob` uploads. */
export interface PushBlobOptions {
  /** A repository on the same registry that may already hold the blob (cross-repository mount). */
  readonly mountFrom?: string;
  /** Force a chunked upload (PATCH with Content-Range) whatever the size. */
  readonly chunked?: boolean;
}

/** The artefacts that refer to a manifest (signatures, attestations), as `referrers` lists them. */
export interface Referrers {
  /** A descriptor per referring manifest, with its artifactType and annotations. */
  readonly manifests: readonly Descriptor[];
  /** `api` when the registry answered the referrers API, `tag` for the fallback tag scheme. */
  readonly via: "api" | "tag";
}

/**
 * True for `localhost`, `127.x.x.x` and `[::1]` (with or without a port): the hosts spoken to over
 * plain HTTP unless configured otherwise.
 */
export function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, "");
  return name === "localhost" || name === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(name);
}

type Auth =
  { readonly kind: "basic"; readonly header: string } | { readonly kind: "bearer"; readonly header: string };

interface Call {
  readonly method: string;
  readonly repo: Repository;
  /** Path after `/v2/`, or an absolute URL (upload locations). */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  /** What the request is about, for error messages. */
  readonly subject: string;
  /** `pull` or `pull,push`: the token scope asked for. */
  readonly actions: string;
  /** More token scopes, e.g. pull on a mount's source repository. */
  readonly extraScopes?: readonly string[];
}

/**
 * An OCI distribution client: blobs, manifests, tags, the catalog and referrers, with anonymous,
 * basic and bearer auth. Every request is bounded by `timeoutMs` and retried when transient;
 * everything pulled is checked against its digest and size limits. Failures are OciErrors: OPM9002
 * unreachable, OPM9003 refused credentials, OPM9004 not found, OPM9005 another error answer,
 * OPM9006 a digest mismatch, OPM9007 too large.
 */
export class RegistryClient {
  private readonly transport: HttpTransport;
  private readonly credentials: CredentialStore | undefined;
  private readonly plainHttp: (host: string) => boolean;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  /** Largest manifest accepted, in bytes. */
  readonly maxManifestBytes: number;
  /** Largest blob accepted on pull, in bytes (unless a call passes its own limit). */
  readonly maxBlobBytes: number;
  private readonly chunkSize: number;
  private readonly userAgent: string;
  private readonly auth = new Map<string, Auth>();

  constructor(options: RegistryClientOptions = {}) {
    this.transport = options.transport ?? nodeTransport();
    this.credentials = options.credentials;
    this.plainHttp = options.plainHttp ?? isLoopback;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.maxManifestBytes = options.maxManifestBytes ?? 4 * 1024 * 1024;
    this.maxBlobBytes = options.maxBlobBytes ?? 512 * 1024 * 1024;
    this.chunkSize = options.chunkSize ?? 16 * 1024 * 1024;
    this.userAgent = options.userAgent ?? "opm";
  }

  /** Checks that the host speaks the distribution API and accepts our credentials. */
  async ping(host: string): Promise<void> {
    const response = await this.call({
      method: "GET",
      repo: { host, repository: "" },
      path: "",
      subject: host,
      actions: "",
    });
    if (!response.ok) throw await errorFromResponse(response, host);
    await response.body?.cancel();
  }

  // ---- blobs ----

  /** The blob's size when the repository has it, else undefined. */
  async blobSize(repo: Repository, digest: string): Promise<number | undefined> {
    const response = await this.call({
      method: "HEAD",
      repo,
      path: `${repo.repository}/blobs/${digest}`,
      subject: `blob ${digest} in ${repo.host}/${repo.repository}`,
      actions: "pull",
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw await errorFromResponse(response, `blob ${digest}`);
    return Number(response.headers.get("content-length") ?? "0");
  }

  /** Downloads a blob and checks its size and digest. */
  async pullBlob(
    repo: Repository,
    descriptor: Pick<Descriptor, "digest" | "size">,
    maxBytes?: number,
  ): Promise<Buffer> {
    const subject = `blob ${descriptor.digest} in ${repo.host}/${repo.repository}`;
    const limit = maxBytes ?? this.maxBlobBytes;
    if (descriptor.size > limit) {
      throw new OciError("SizeLimitExceeded", {
        message: `${subject} is larger than the limit (${descriptor.size} > ${limit} bytes)`,
        details: { size: descriptor.size, limit },
      });
    }
    const response = await this.call({
      method: "GET",
      repo,
      path: `${repo.repository}/blobs/${descriptor.digest}`,
      subject,
      actions: "pull",
    });
    if (!response.ok) throw await errorFromResponse(response, subject);
    const data = await readBody(response, limit, subject);
    checkDigest(data, descriptor.digest, subject);
    if (data.length !== descriptor.size) {
      throw new OciError("DigestMismatch", {
        message: `${subject} has ${data.length} bytes, its descriptor says ${descriptor.size}`,
        hint: "the artefact is corrupt or was tampered with; do not use it",
      });
    }
    return data;
  }

  /** Uploads a blob unless the repository has it; returns its digest. */
  async pushBlob(repo: Repository, data: Uint8Array, options: PushBlobOptions = {}): Promise<string> {
    const digest = digestOf(data);
    if ((await this.blobSize(repo, digest)) !== undefined) return digest;
    const subject = `blob ${digest} to ${repo.host}/${repo.repository}`;
    const base = `${repo.repository}/blobs/uploads/`;
    if (options.mountFrom !== undefined) {
      const mount = await this.call({
        method: "POST",
        repo,
        path: `${base}?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(options.mountFrom)}`,
        subject,
        actions: "pull,push",
        extraScopes: [`repository:${options.mountFrom}:pull`],
      });
      if (mount.status === 201) {
        await mount.body?.cancel();
        return digest;
      }
      // 202: the registry opened an ordinary upload instead; continue with it.
      if (mount.status === 202) return this.finishUpload(repo, mount, data, digest, subject, options);
      throw await errorFromResponse(mount, subject);
    }
    const start = await this.call({ method: "POST", repo, path: base, subject, actions: "pull,push" });
    if (start.status !== 202) throw await errorFromResponse(start, subject);
    return this.finishUpload(repo, start, data, digest, subject, options);
  }

  private async finishUpload(
    repo: Repository,
    opened: Response,
    data: Uint8Array,
    digest: string,
    subject: string,
    options: PushBlobOptions,
  ): Promise<string> {
    await opened.body?.cancel();
    let location = this.uploadLocation(repo, opened, subject);
    const chunked = options.chunked === true || data.byteLength > this.chunkSize;
    if (chunked) {
      for (let offset = 0; offset < data.byteLength; offset += this.chunkSize) {
        const chunk = data.subarray(offset, Math.min(offset + this.chunkSize, data.byteLength));
        const patch = await this.call({
          method: "PATCH",
          repo,
          path: location,
          headers: {
            "content-type": "application/octet-stream",
            "content-range": `${offset}-${offset + chunk.byteLength - 1}`,
          },
          body: chunk,
          subject,
          actions: "pull,push",
        });
        if (patch.status !== 202) throw await errorFromResponse(patch, subject);
        await patch.body?.cancel();
        location = this.uploadLocation(repo, patch, subject);
      }
    }
    const url = new URL(location);
    url.searchParams.set("digest", digest);
    const put = await this.call({
      method: "PUT",
      repo,
      path: url.href,
      headers: { "content-type": "application/octet-stream" },
      ...(chunked ? {} : { body: data }),
      subject,
      actions: "pull,push",
    });
    if (put.status !== 201) throw await errorFromResponse(put, subject);
    await put.body?.cancel();
    return digest;
  }

  private uploadLocation(repo: Repository, response: Response, subject: string): string {
    const location = response.headers.get("location");
    if (location === null) {
      throw new OciError("RegistryRequestFailed", {
        message: `${subject}: the registry opened an upload without a Location`,
      });
    }
    return new URL(location, this.baseUrl(repo.host)).href;
  }

  // ---- manifests ----

  /** Fetches a manifest or index by tag or digest and checks its digest. */
  async pullManifest(
    repo: Repository,
    reference: string,
    accept: readonly string[] = MANIFEST_TYPES,
  ): Promise<PulledManifest> {
    const subject = `${repo.host}/${repo.repository}${isDigest(reference) ? "@" : ":"}${reference}`;
    const response = await this.call({
      method: "GET",
      repo,
      path: `${repo.repository}/manifests/${reference}`,
      headers: { accept: accept.join(", ") },
      subject,
      actions: "pull",
    });
    if (!response.ok) throw await errorFromResponse(response, subject);
    const bytes = await readBody(response, this.maxManifestBytes, `the manifest of ${subject}`);
    const digest = digestOf(bytes);
    if (isDigest(reference)) checkDigest(bytes, reference, subject);
    else {
      const claimed = response.headers.get("docker-content-digest");
      if (claimed !== null && claimed !== digest) {
        throw new OciError("DigestMismatch", {
          message: `${subject}: the manifest's digest is ${digest}, the registry says ${claimed}`,
          hint: "the artefact is corrupt or was tampered with; do not use it",
        });
      }
    }
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
    } catch {
      throw new OciError("InvalidManifest", { message: `${subject}: the manifest is not JSON` });
    }
    const mediaType =
      (typeof json["mediaType"] === "string" ? json["mediaType"] : undefined) ??
      response.headers.get("content-type") ??
      MediaType.imageManifest;
    return { digest, mediaType, bytes, json };
  }

  /** The manifest's descriptor when it exists, else undefined. */
  async headManifest(repo: Repository, reference: string): Promise<Descriptor | undefined> {
    const subject = `${repo.host}/${repo.repository}:${reference}`;
    const response = await this.call({
      method: "HEAD",
      repo,
      path: `${repo.repository}/manifests/${reference}`,
      headers: { accept: MANIFEST_TYPES.join(", ") },
      subject,
      actions: "pull",
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw await errorFromResponse(response, subject);
    const digest = response.headers.get("docker-content-digest");
    if (digest === null) {
      // Without the header a HEAD cannot tell the digest; a GET can.
      const pulled = await this.pullManifest(repo, reference);
      return { mediaType: pulled.mediaType, digest: pulled.digest, size: pulled.bytes.length };
    }
    return {
      mediaType: response.headers.get("content-type") ?? MediaType.imageManifest,
      digest,
      size: Number(response.headers.get("content-length") ?? "0"),
    };
  }

  /** Uploads a manifest under a tag (or its own digest); returns its descriptor. */
  async pushManifest(
    repo: Repository,
    reference: string,
    bytes: Uint8Array,
    mediaType: string,
  ): Promise<Descriptor & { readonly subjectAccepted: boolean }> {
    const subject = `${repo.host}/${repo.repository}:${reference}`;
    if (bytes.byteLength > this.maxManifestBytes) {
      throw new OciError("SizeLimitExceeded", {
        message: `the manifest for ${subject} is larger than the limit (${bytes.byteLength} > ${this.maxManifestBytes} bytes)`,
      });
    }
    const response = await this.call({
      method: "PUT",
      repo,
      path: `${repo.repository}/manifests/${reference}`,
      headers: { "content-type": mediaType },
      body: bytes,
      subject,
      actions: "pull,push",
    });
    if (response.status !== 201) throw await errorFromResponse(response, subject);
    await response.body?.cancel();
    const digest = digestOf(bytes);
    const claimed = response.headers.get("docker-content-digest");
    if (claimed !== null && claimed !== digest) {
      throw new OciError("DigestMismatch", {
        message: `${subject}: the registry stored the manifest as ${claimed}, expected ${digest}`,
      });
    }
    return {
      mediaType,
      digest,
      size: bytes.byteLength,
      subjectAccepted: response.headers.get("oci-subject") !== null,
    };
  }

  /**
   * Deletes a manifest by digest (registries refuse to delete by tag); fails with an OciError when
   * the registry refuses, e.g. OPM9005 when deletion is disabled.
   */
  async deleteManifest(repo: Repository, digest: string): Promise<void> {
    const subject = `${repo.host}/${repo.repository}@${digest}`;
    const response = await this.call({
      method: "DELETE",
      repo,
      path: `${repo.repository}/manifests/${digest}`,
      subject,
      actions: "delete",
    });
    if (response.status !== 202 && response.status !== 200) throw await errorFromResponse(response, subject);
    await response.body?.cancel();
  }

  // ---- tags ----

  /** Every tag of a repository (following `Link` pagination); empty for an unknown repository. */
  async listTags(repo: Repository): Promise<string[]> {
    const tags: string[] = [];
    let path = `${repo.repository}/tags/list?n=1000`;
    for (let page = 0; page < 1000; page++) {
      const subject = `tags of ${repo.host}/${repo.repository}`;
      const response = await this.call({ method: "GET", repo, path, subject, actions: "pull" });
      if (response.status === 404) {
        await response.body?.cancel();
        return tags;
      }
      if (!response.ok) throw await errorFromResponse(response, subject);
      const body = JSON.parse(
        (await readBody(response, this.maxManifestBytes, subject)).toString("utf8"),
      ) as {
        tags?: string[] | null;
      };
      tags.push(...(body.tags ?? []));
      const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(response.headers.get("link") ?? "")?.[1];
      if (next === undefined) return tags;
      path = new URL(next, this.baseUrl(repo.host)).href;
    }
    return tags;
  }

  /** Every repository of a registry (`/v2/_catalog`, following `Link` pagination). */
  async catalog(host: string): Promise<string[]> {
    const repositories: string[] = [];
    let path = "_catalog?n=1000";
    for (let page = 0; page < 1000; page++) {
      const subject = `the catalog of ${host}`;
      const response = await this.call({
        method: "GET",
        repo: { host, repository: "" },
        path,
        subject,
        actions: "",
        extraScopes: ["registry:catalog:*"],
      });
      if (!response.ok) throw await errorFromResponse(response, subject);
      const body = JSON.parse(
        (await readBody(response, this.maxManifestBytes, subject)).toString("utf8"),
      ) as {
        repositories?: string[] | null;
      };
      repositories.push(...(body.repositories ?? []));
      const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(response.headers.get("link") ?? "")?.[1];
      if (next === undefined) return repositories;
      path = new URL(next, this.baseUrl(host)).href;
    }
    return repositories;
  }

  // ---- referrers ----

  /**
   * The manifests that name `digest` as their subject: the referrers API when the registry has
   * one, else the index under the fallback tag `sha256-<hex>` (OCI 1.1). Debian's docker-registry
   * (distribution 2.8) answers the API with 404, so it always takes the fallback.
   */
  async referrers(repo: Repository, digest: string, artifactType?: string): Promise<Referrers> {
    const subject = `referrers of ${repo.host}/${repo.repository}@${digest}`;
    const query = artifactType === undefined ? "" : `?artifactType=${encodeURIComponent(artifactType)}`;
    const response = await this.call({
      method: "GET",
      repo,
      path: `${repo.repository}/referrers/${digest}${query}`,
      headers: { accept: MediaType.imageIndex },
      subject,
      actions: "pull",
    });
    if (response.ok && (response.headers.get("content-type") ?? "").startsWith(MediaType.imageIndex)) {
      const index = JSON.parse(
        (await readBody(response, this.maxManifestBytes, subject)).toString("utf8"),
      ) as ImageIndex;
      return { manifests: filterType(index.manifests ?? [], artifactType), via: "api" };
    }
    if (response.status !== 404 && !response.ok) throw await errorFromResponse(response, subject);
    await response.body?.cancel();
    const index = await this.fallbackIndex(repo, digest);
    return { manifests: filterType(index?.manifests ?? [], artifactType), via: "tag" };
  }

  private async fallbackIndex(repo: Repository, digest: string): Promise<ImageIndex | undefined> {
    try {
      const pulled = await this.pullManifest(repo, fallbackTag(digest), [MediaType.imageIndex]);
      return pulled.json as unknown as ImageIndex;
    } catch (error) {
      if (error instanceof OciError && error.key === "ArtifactNotFound") return undefined;
      throw error;
    }
  }

  /**
   * Pushes a manifest that has a `subject`; when the registry does not index it itself (no
   * `OCI-Subject` answer), adds it to the fallback tag's index, as OCI 1.1 clients must.
   */
  async pushReferrer(repo: Repository, bytes: Uint8Array, mediaType: string): Promise<Descriptor> {
    const manifest = JSON.parse(Buffer.from(bytes).toString("utf8")) as {
      subject?: Descriptor;
      artifactType?: string;
      config?: Descriptor;
      annotations?: Record<string, string>;
    };
    if (manifest.subject === undefined) {
      throw new OciError("InvalidManifest", { message: "a referrer manifest needs a subject" });
    }
    const pushed = await this.pushManifest(repo, digestOf(bytes), bytes, mediaType);
    const descriptor: Descriptor = {
      mediaType,
      digest: pushed.digest,
      size: pushed.size,
      ...((manifest.artifactType ?? manifest.config?.mediaType)
        ? { artifactType: manifest.artifactType ?? manifest.config!.mediaType }
        : {}),
      ...(manifest.annotations === undefined ? {} : { annotations: manifest.annotations }),
    };
    if (pushed.subjectAccepted) return descriptor;
    const existing = await this.fallbackIndex(repo, manifest.subject.digest);
    const others = (existing?.manifests ?? []).filter((m) => m.digest !== descriptor.digest);
    const index: ImageIndex = {
      schemaVersion: 2,
      mediaType: MediaType.imageIndex,
      manifests: [...others, descriptor],
    };
    const indexBytes = Buffer.from(JSON.stringify(index));
    await this.pushManifest(repo, fallbackTag(manifest.subject.digest), indexBytes, MediaType.imageIndex);
    return descriptor;
  }

  // ---- the request, with auth ----

  private baseUrl(host: string): string {
    return `${this.plainHttp(host) ? "http" : "https"}://${host}`;
  }

  private async call(call: Call): Promise<Response> {
    const url = /^https?:\/\//.test(call.path)
      ? call.path
      : `${this.baseUrl(call.repo.host)}/v2/${call.path}`;
    const scopes = [
      ...(call.repo.repository === "" || call.actions === ""
        ? []
        : [`repository:${call.repo.repository}:${call.actions}`]),
      ...(call.extraScopes ?? []),
    ];
    const cacheKey = `${call.repo.host} ${scopes.join(" ")}`;
    const send = (authorization: string | undefined) =>
      sendWithRetry(this.transport, {
        method: call.method,
        url,
        headers: {
          "user-agent": this.userAgent,
          ...call.headers,
          ...(authorization === undefined ? {} : { authorization }),
        },
        body: call.body,
        timeoutMs: this.timeoutMs,
        retry: this.retry,
      });
    const known = this.auth.get(cacheKey) ?? this.auth.get(`${call.repo.host} basic`);
    const first = await send(known?.header);
    if (first.status !== 401) return first;
    const challenge = parseChallenge(first.headers.get("www-authenticate"));
    await first.body?.cancel();
    if (challenge === undefined) return send(known?.header);
    const credential = await this.credentials?.get(call.repo.host);
    let auth: Auth;
    if (challenge.scheme === "basic") {
      if (credential === undefined)
        return this.unauthorized(
          call,
          "the registry asks for a user name and password, and none is stored for it",
        );
      auth = { kind: "basic", header: basicHeader(credential) };
      this.auth.set(`${call.repo.host} basic`, auth);
    } else if (challenge.scheme === "bearer") {
      auth = {
        kind: "bearer",
        header: `Bearer ${await this.fetchToken(call, challenge, scopes, credential)}`,
      };
      this.auth.set(cacheKey, auth);
    } else {
      return this.unauthorized(
        call,
        `the registry asks for ${challenge.scheme} auth, which opm does not speak`,
      );
    }
    const second = await send(auth.header);
    if (second.status === 401) {
      await second.body?.cancel();
      return this.unauthorized(
        call,
        credential === undefined
          ? "the registry needs credentials and none are stored for it"
          : "the registry did not accept the stored credentials",
      );
    }
    return second;
  }

  private unauthorized(call: Call, why: string): never {
    throw new OciError("RegistryUnauthorized", {
      message: `${call.subject}: ${why}`,
      hint: `log in with \`opm registry login ${call.repo.host}\` (Docker's config.json and its credential helpers are read)`,
      details: { host: call.repo.host },
    });
  }

  private async fetchToken(
    call: Call,
    challenge: ReturnType<typeof parseChallenge> & object,
    scopes: readonly string[],
    credential: Awaited<ReturnType<CredentialStore["get"]>>,
  ): Promise<string> {
    const url = tokenUrl(challenge, scopes);
    const headers: Record<string, string> = { "user-agent": this.userAgent };
    let method = "GET";
    let body: Uint8Array | undefined;
    if (credential?.identityToken !== undefined) {
      // OAuth2 refresh-token grant, as docker does with an identity token.
      method = "POST";
      const form = new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: credential.identityToken,
        service: challenge.params["service"] ?? "",
        scope: scopes.join(" "),
        client_id: "opm",
      });
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = Buffer.from(form.toString());
    } else if (credential !== undefined) {
      headers["authorization"] = basicHeader(credential);
    }
    const response = await sendWithRetry(this.transport, {
      method,
      url: method === "POST" ? url.split("?")[0]! : url,
      headers,
      body,
      timeoutMs: this.timeoutMs,
      retry: this.retry,
    });
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      return this.unauthorized(call, `the token service at ${new URL(url).host} refused the credentials`);
    }
    if (!response.ok) throw await errorFromResponse(response, `a token from ${new URL(url).host}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse((await readBody(response, 1024 * 1024, "a token answer")).toString("utf8"));
    } catch {
      parsed = undefined;
    }
    const token = tokenFrom(parsed);
    if (token === undefined) {
      throw new OciError("RegistryRequestFailed", {
        message: `the token service at ${new URL(url).host} answered without a token`,
      });
    }
    return token;
  }
}

function filterType(manifests: readonly Descriptor[], artifactType: string | undefined): Descriptor[] {
  return artifactType === undefined
    ? [...manifests]
    : manifests.filter((m) => m.artifactType === artifactType);
}

function checkDigest(data: Uint8Array, expected: string, subject: string): void {
  const actual = digestOf(data);
  if (actual !== expected) {
    throw new OciError("DigestMismatch", {
      message: `${subject}: the content's digest is ${actual}, expected ${expected}`,
      hint: "the artefact is corrupt or was tampered with; do not use it",
      details: { expected, actual },
    });
  }
}
