// The OCI client against the real registries of testenv: Debian's docker-registry over plain
// HTTP (shared by the run) and one of our own over TLS with basic auth. Tampering is done the way
// an attacker with storage access would: by rewriting the blob file the registry serves.
import { readFileSync, writeFileSync, chmodSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Registry, startRegistry } from "../../testenv/registry.ts";
import { RegistryClient } from "./client.ts";
import { dockerCredentials } from "./credentials.ts";
import { isOciError } from "./errors.ts";
import { digestOf, MediaType } from "./media-types.ts";
import { nodeTransport } from "./transport.ts";
import { basicAuthEntry, blobDataPath, dockerEnv, removeTempDirs, tempDir } from "./__tests__/helpers.ts";

const plainHost = inject("registry");
const repo = (repository: string) => ({ host: plainHost, repository });
const errorKey = (e: unknown) => (isOciError(e) ? e.key : e);

afterAll(removeTempDirs);

function emptyManifest(layers: { mediaType: string; data: Buffer }[], extra: object = {}): Buffer {
  const config = Buffer.from("{}");
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.imageManifest,
      ...extra,
      config: { mediaType: MediaType.emptyJson, digest: digestOf(config), size: 2 },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: digestOf(l.data), size: l.data.length })),
    }),
  );
}

describe("OCI client on the plain registry", () => {
  const client = new RegistryClient();

  it("uploads blobs monolithically and in chunks, and pulls them back checked", async () => {
    const small = Buffer.from("hello, registry");
    const big = Buffer.alloc(300_000, 7);
    const chunked = new RegistryClient({ chunkSize: 64 * 1024 });
    const d1 = await client.pushBlob(repo("oci/blobs"), small);
    const d2 = await chunked.pushBlob(repo("oci/blobs"), big);
    expect(d1).toBe(digestOf(small));
    expect(await client.blobSize(repo("oci/blobs"), d2)).toBe(big.length);
    expect((await client.pullBlob(repo("oci/blobs"), { digest: d2, size: big.length })).equals(big)).toBe(
      true,
    );
    // Forced chunked upload of a small blob, too.
    const tiny = Buffer.from("chunk me");
    await client.pushBlob(repo("oci/blobs"), tiny, { chunked: true });
    expect(
      (await client.pullBlob(repo("oci/blobs"), { digest: digestOf(tiny), size: tiny.length })).toString(),
    ).toBe("chunk me");
  });

  it("mounts a blob from another repository without uploading it", async () => {
    const data = Buffer.from(`mount source ${Date.now()}`);
    const digest = await client.pushBlob(repo("oci/mount-src"), data);
    expect(await client.blobSize(repo("oci/mount-dst"), digest)).toBeUndefined();
    await client.pushBlob(repo("oci/mount-dst"), data, { mountFrom: "oci/mount-src" });
    expect(await client.blobSize(repo("oci/mount-dst"), digest)).toBe(data.length);
  });

  it("puts and gets manifests and indexes by tag and digest, and lists tags", async () => {
    const layer = Buffer.from("layer");
    await client.pushBlob(repo("oci/manifests"), Buffer.from("{}"));
    await client.pushBlob(repo("oci/manifests"), layer);
    const bytes = emptyManifest([{ mediaType: "application/vnd.test.layer", data: layer }]);
    const pushed = await client.pushManifest(repo("oci/manifests"), "v1", bytes, MediaType.imageManifest);
    expect(pushed.digest).toBe(digestOf(bytes));
    const byTag = await client.pullManifest(repo("oci/manifests"), "v1");
    const byDigest = await client.pullManifest(repo("oci/manifests"), pushed.digest);
    expect(byTag.bytes.equals(bytes)).toBe(true);
    expect(byDigest.digest).toBe(pushed.digest);
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.imageIndex,
        manifests: [{ mediaType: MediaType.imageManifest, digest: pushed.digest, size: bytes.length }],
      }),
    );
    await client.pushManifest(repo("oci/manifests"), "index", index, MediaType.imageIndex);
    expect((await client.pullManifest(repo("oci/manifests"), "index")).mediaType).toBe(MediaType.imageIndex);
    expect((await client.listTags(repo("oci/manifests"))).sort()).toEqual(["index", "v1"]);
    expect(await client.listTags(repo("oci/never-pushed"))).toEqual([]);
    expect((await client.headManifest(repo("oci/manifests"), "v1"))?.digest).toBe(pushed.digest);
    expect(await client.headManifest(repo("oci/manifests"), "v2")).toBeUndefined();
    await client.deleteManifest(
      repo("oci/manifests"),
      (await client.headManifest(repo("oci/manifests"), "index"))!.digest,
    );
    expect(await client.headManifest(repo("oci/manifests"), "index")).toBeUndefined();
  });

  it("finds referrers through the fallback tag, because distribution 2.8 answers the referrers API with 404", async () => {
    const r = repo("oci/referrers");
    const layer = Buffer.from("subject");
    await client.pushBlob(r, Buffer.from("{}"));
    await client.pushBlob(r, layer);
    const subjectBytes = emptyManifest([{ mediaType: "application/vnd.test.layer", data: layer }]);
    const subject = await client.pushManifest(r, "v1", subjectBytes, MediaType.imageManifest);
    // What the registry really answers for the API: a plain 404.
    const api = await fetch(`http://${plainHost}/v2/oci/referrers/referrers/${subject.digest}`);
    expect(api.status).toBe(404);
    expect((await client.referrers(r, subject.digest)).manifests).toEqual([]);
    const note = Buffer.from("a note");
    await client.pushBlob(r, note);
    const referrer = emptyManifest([{ mediaType: "application/vnd.test.note", data: note }], {
      artifactType: "application/vnd.test.note",
      subject: { mediaType: MediaType.imageManifest, digest: subject.digest, size: subject.size },
    });
    await client.pushReferrer(r, referrer, MediaType.imageManifest);
    const found = await client.referrers(r, subject.digest, "application/vnd.test.note");
    expect(found.via).toBe("tag");
    expect(found.manifests.map((m) => m.digest)).toEqual([digestOf(referrer)]);
    expect((await client.referrers(r, subject.digest, "application/vnd.other")).manifests).toEqual([]);
    // A second referrer joins the same fallback index.
    const second = emptyManifest([{ mediaType: "application/vnd.test.note", data: note }], {
      artifactType: "application/vnd.test.other",
      subject: { mediaType: MediaType.imageManifest, digest: subject.digest, size: subject.size },
    });
    await client.pushReferrer(r, second, MediaType.imageManifest);
    expect((await client.referrers(r, subject.digest)).manifests).toHaveLength(2);
  });

  it("answers a missing manifest or blob with ArtifactNotFound", async () => {
    expect(errorKey(await client.pullManifest(repo("oci/none"), "v9").catch((e: unknown) => e))).toBe(
      "ArtifactNotFound",
    );
    const digest = digestOf(Buffer.from("never uploaded"));
    expect(
      errorKey(await client.pullBlob(repo("oci/none"), { digest, size: 14 }).catch((e: unknown) => e)),
    ).toBe("ArtifactNotFound");
  });

  it("refuses manifests and blobs above the size limits", async () => {
    const data = Buffer.alloc(10_000, 1);
    const digest = await client.pushBlob(repo("oci/limits"), data);
    const strict = new RegistryClient({ maxBlobBytes: 1000, maxManifestBytes: 100 });
    expect(
      errorKey(
        await strict.pullBlob(repo("oci/limits"), { digest, size: data.length }).catch((e: unknown) => e),
      ),
    ).toBe("SizeLimitExceeded");
    // A descriptor that lies about the size is caught while reading.
    expect(
      errorKey(await strict.pullBlob(repo("oci/limits"), { digest, size: 10 }).catch((e: unknown) => e)),
    ).toBe("SizeLimitExceeded");
    await client.pushBlob(repo("oci/limits"), Buffer.from("{}"));
    await client.pushManifest(
      repo("oci/limits"),
      "big",
      emptyManifest([{ mediaType: "x/y", data }]),
      MediaType.imageManifest,
    );
    expect(errorKey(await strict.pullManifest(repo("oci/limits"), "big").catch((e: unknown) => e))).toBe(
      "SizeLimitExceeded",
    );
  });
});

describe("tampered content", () => {
  let registry: Registry;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir("tamper");
    registry = await startRegistry({ dir });
  });
  afterAll(() => registry?.stop());

  it("refuses a blob whose bytes no longer match its digest", async () => {
    const client = new RegistryClient();
    const r = { host: registry.host, repository: "oci/tamper" };
    const data = Buffer.from("the original content");
    const digest = await client.pushBlob(r, data);
    writeFileSync(blobDataPath(dir, digest), Buffer.from("the tampered content"));
    const error = await client.pullBlob(r, { digest, size: data.length }).catch((e: unknown) => e);
    expect(errorKey(error)).toBe("DigestMismatch");
    expect((error as Error).message).toContain(`expected ${digest}`);
  });

  it("refuses a manifest pulled by digest whose bytes were changed", async () => {
    const client = new RegistryClient();
    const r = { host: registry.host, repository: "oci/tamper-manifest" };
    await client.pushBlob(r, Buffer.from("{}"));
    const bytes = emptyManifest([]);
    const pushed = await client.pushManifest(r, "v1", bytes, MediaType.imageManifest);
    const changed = Buffer.from(bytes.toString().replace('"layers":[]', '"layers": []'));
    writeFileSync(blobDataPath(dir, pushed.digest), changed);
    expect(errorKey(await client.pullManifest(r, pushed.digest).catch((e: unknown) => e))).toBe(
      "DigestMismatch",
    );
  });
});

describe("OCI client on the TLS + basic-auth registry", () => {
  let registry: Registry;
  let ca: string;
  beforeAll(async () => {
    registry = await startRegistry({ secure: true });
    ca = readFileSync(registry.auth!.caCert, "utf8");
  });
  afterAll(() => registry?.stop());

  const secureClient = (env: Record<string, string>) =>
    new RegistryClient({
      transport: nodeTransport({ ca }),
      plainHttp: () => false,
      credentials: dockerCredentials({ env, helperTimeoutMs: 2000 }),
      retry: { attempts: 1 },
    });

  it("round-trips a blob and a manifest with credentials from Docker's config.json", async () => {
    const { username, password } = registry.auth!;
    const client = secureClient(
      dockerEnv({ auths: { [registry.host]: basicAuthEntry(username, password) } }),
    );
    const r = { host: registry.host, repository: "oci/secure" };
    await client.ping(registry.host);
    const layer = Buffer.from("secret layer");
    await client.pushBlob(r, Buffer.from("{}"));
    await client.pushBlob(r, layer);
    const bytes = emptyManifest([{ mediaType: "application/vnd.test.layer", data: layer }]);
    await client.pushManifest(r, "v1", bytes, MediaType.imageManifest);
    expect((await client.pullManifest(r, "v1")).bytes.equals(bytes)).toBe(true);
    expect((await client.pullBlob(r, { digest: digestOf(layer), size: layer.length })).equals(layer)).toBe(
      true,
    );
  });

  it("refuses without credentials, with wrong ones, and without the CA", async () => {
    const r = { host: registry.host, repository: "oci/secure" };
    const anonymous = secureClient(dockerEnv({}));
    const none = await anonymous.listTags(r).catch((e: unknown) => e);
    expect(errorKey(none)).toBe("RegistryUnauthorized");
    expect((none as Error).message).toContain("none is stored");
    const wrong = secureClient(dockerEnv({ auths: { [registry.host]: basicAuthEntry("opm", "wrong") } }));
    expect(errorKey(await wrong.listTags(r).catch((e: unknown) => e))).toBe("RegistryUnauthorized");
    const untrusted = new RegistryClient({ plainHttp: () => false, retry: { attempts: 1 } });
    const tls = await untrusted.ping(registry.host).catch((e: unknown) => e);
    expect(errorKey(tls)).toBe("RegistryUnreachable");
    expect((tls as Error).message).toMatch(/certificate|TLS/i);
  });

  it("asks a docker-credential-* helper, and bounds a helper that hangs", async () => {
    const { username, password } = registry.auth!;
    const bin = tempDir("helpers");
    const helper = join(bin, "docker-credential-opmtest");
    writeFileSync(
      helper,
      `#!/bin/sh\nread host\n[ "$1" = get ] && [ "$host" = "${registry.host}" ] && printf '{"Username":"${username}","Secret":"${password}"}' && exit 0\necho "credentials not found in native keychain"; exit 1\n`,
    );
    writeFileSync(join(bin, "docker-credential-hangs"), "#!/bin/sh\nsleep 30\n");
    chmodSync(helper, 0o755);
    chmodSync(join(bin, "docker-credential-hangs"), 0o755);
    const r = { host: registry.host, repository: "oci/secure" };
    const env = { ...dockerEnv({ credHelpers: { [registry.host]: "opmtest" } }) };
    env["PATH"] = `${bin}:${env["PATH"]}`;
    const viaHelper = secureClient(env);
    const digest = await viaHelper.pushBlob(r, Buffer.from("pushed with the helper's credentials"));
    expect(await viaHelper.blobSize(r, digest)).toBeGreaterThan(0);
    const hangs = { ...dockerEnv({ credsStore: "hangs" }) };
    hangs["PATH"] = `${bin}:${hangs["PATH"]}`;
    const started = Date.now();
    const error = await secureClient(hangs)
      .listTags(r)
      .catch((e: unknown) => e);
    expect(errorKey(error)).toBe("CredentialHelperFailed");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("unreachable registries", () => {
  it("ends a request to a closed port with RegistryUnreachable after its retries", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = new RegistryClient({ retry: { attempts: 2, baseDelayMs: 10 } });
    const error = await client.ping(`127.0.0.1:${port}`).catch((e: unknown) => e);
    expect(errorKey(error)).toBe("RegistryUnreachable");
    expect((error as Error).message).toContain("connection refused");
  });

  it("bounds a registry that accepts the connection and never answers", async () => {
    // A registry that hangs cannot be made from docker-registry; a socket that never answers is one.
    const server: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const client = new RegistryClient({ timeoutMs: 300, retry: { attempts: 2, baseDelayMs: 10 } });
      const started = Date.now();
      const error = await client.ping(`127.0.0.1:${port}`).catch((e: unknown) => e);
      expect(errorKey(error)).toBe("RegistryUnreachable");
      expect((error as Error).message).toContain("did not answer");
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      server.close();
    }
  });
});
