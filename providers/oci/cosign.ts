// Signatures in cosign's key-based format, so `cosign verify --key` accepts what we sign and we
// accept what `cosign sign --key` signs: an ECDSA P-256 signature over a "simple signing" JSON
// payload naming the manifest digest, stored as a layer of a manifest tagged `sha256-<hex>.sig`
// next to the signed artefact, the signature itself in the layer's
// `dev.cosignproject.cosign/signature` annotation. Private keys are read in cosign's encrypted
// format (scrypt + NaCl secretbox) or as plain PKCS#8 / SEC1 PEM.
import { createPrivateKey, createPublicKey, type KeyObject, scryptSync, sign, verify } from "node:crypto";
import { xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import type { Repository, RegistryClient } from "./client.ts";
import { OciError } from "./errors.ts";
import { type Descriptor, descriptorOf, type ImageManifest, MediaType } from "./media-types.ts";

/** The media type of cosign's "simple signing" payload, the layer of a signature manifest. */
export const SIMPLE_SIGNING_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
/** The layer annotation cosign keeps the base64 signature in. */
export const SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

/** cosign's signature tag for a manifest digest: `sha256-<hex>.sig`. */
export function signatureTag(digest: string): string {
  return `${digest.replace(":", "-")}.sig`;
}

/** The payload cosign signs, byte for byte as Go's encoding/json writes it. */
export function simpleSigningPayload(dockerReference: string, digest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { "docker-reference": dockerReference },
        image: { "docker-manifest-digest": digest },
        type: "cosign container image signature",
      },
      optional: null,
    }),
  );
}

interface EncryptedKey {
  kdf?: { name?: string; params?: { N?: number; r?: number; p?: number }; salt?: string };
  cipher?: { name?: string; nonce?: string };
  ciphertext?: string;
}

function invalidKey(message: string, cause?: unknown): OciError {
  return new OciError("InvalidKey", {
    message,
    hint: "use a key from `cosign generate-key-pair` (password in COSIGN_PASSWORD) or an ECDSA P-256 PEM key",
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Reads a private key: cosign's encrypted PEM (with `password`) or an unencrypted PEM. */
export function readPrivateKey(pem: string, password: string | undefined): KeyObject {
  const block = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (block === null) throw invalidKey("the private key is not PEM");
  const label = block[1]!;
  let key: KeyObject;
  if (label === "ENCRYPTED SIGSTORE PRIVATE KEY" || label === "ENCRYPTED COSIGN PRIVATE KEY") {
    let sealed: EncryptedKey;
    try {
      sealed = JSON.parse(
        Buffer.from(block[2]!.replace(/\s+/g, ""), "base64").toString("utf8"),
      ) as EncryptedKey;
    } catch (error) {
      throw invalidKey("the encrypted private key is not cosign's JSON format", error);
    }
    if (sealed.kdf?.name !== "scrypt" || sealed.cipher?.name !== "nacl/secretbox")
      throw invalidKey(
        `unsupported key encryption (${sealed.kdf?.name ?? "?"}, ${sealed.cipher?.name ?? "?"})`,
      );
    const { N = 32768, r = 8, p = 1 } = sealed.kdf.params ?? {};
    const secret = scryptSync(password ?? "", Buffer.from(sealed.kdf.salt ?? "", "base64"), 32, {
      N,
      r,
      p,
      maxmem: 256 * N * r + 1024 * 1024,
    });
    let der: Uint8Array;
    try {
      der = xsalsa20poly1305(secret, Buffer.from(sealed.cipher.nonce ?? "", "base64")).decrypt(
        Buffer.from(sealed.ciphertext ?? "", "base64"),
      );
    } catch (error) {
      throw invalidKey("the private key cannot be decrypted: wrong password (COSIGN_PASSWORD)?", error);
    }
    key = createPrivateKey({ key: Buffer.from(der), format: "der", type: "pkcs8" });
  } else {
    try {
      key = createPrivateKey(
        password === undefined || password === "" ? pem : { key: pem, passphrase: password },
      );
    } catch (error) {
      throw invalidKey(`the private key cannot be read: ${(error as Error).message}`, error);
    }
  }
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1")
    throw invalidKey(
      `the key is ${key.asymmetricKeyType ?? "unknown"}, cosign's key-based format needs ECDSA P-256`,
    );
  return key;
}

/**
 * Reads an ECDSA public key from PEM (what `cosign generate-key-pair` writes as `cosign.pub`).
 *
 * @throws OciError OPM9016 when the PEM cannot be read or holds another kind of key.
 */
export function readPublicKey(pem: string): KeyObject {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== "ec") throw new Error(`a ${key.asymmetricKeyType ?? "?"} key`);
    return key;
  } catch (error) {
    throw invalidKey(`the public key cannot be read: ${(error as Error).message}`, error);
  }
}

/**
 * Signs a manifest digest and stores the signature as cosign does (appended to the `.sig`
 * manifest when signatures exist). Returns the `.sig` reference.
 */
export async function signManifestDigest(
  client: RegistryClient,
  repo: Repository,
  digest: string,
  privateKey: KeyObject,
): Promise<string> {
  const payload = simpleSigningPayload(`${repo.host}/${repo.repository}`, digest);
  const signature = sign("sha256", payload, privateKey).toString("base64");
  const layer = descriptorOf(SIMPLE_SIGNING_TYPE, payload, {
    annotations: { [SIGNATURE_ANNOTATION]: signature },
  });
  const tag = signatureTag(digest);
  const existing = await existingSignatures(client, repo, digest);
  const layers = [
    ...existing.filter(
      (l) => l.digest !== layer.digest || l.annotations?.[SIGNATURE_ANNOTATION] !== signature,
    ),
    layer,
  ];
  const config = Buffer.from(
    JSON.stringify({
      architecture: "",
      created: "0001-01-01T00:00:00Z",
      history: [{ created: "0001-01-01T00:00:00Z" }],
      os: "",
      rootfs: { type: "layers", diff_ids: layers.map((l) => l.digest) },
      config: {},
    }),
  );
  await client.pushBlob(repo, payload);
  await client.pushBlob(repo, config);
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.imageManifest,
    config: descriptorOf(MediaType.imageConfig, config),
    layers,
  };
  await client.pushManifest(repo, tag, Buffer.from(JSON.stringify(manifest)), MediaType.imageManifest);
  return `${repo.host}/${repo.repository}:${tag}`;
}

async function existingSignatures(
  client: RegistryClient,
  repo: Repository,
  digest: string,
): Promise<Descriptor[]> {
  try {
    const pulled = await client.pullManifest(repo, signatureTag(digest), [MediaType.imageManifest]);
    return [...((pulled.json as unknown as ImageManifest).layers ?? [])];
  } catch (error) {
    if (error instanceof OciError && error.key === "ArtifactNotFound") return [];
    throw error;
  }
}

/**
 * Verifies that a valid signature by `publicKey` exists for the manifest digest: some layer of
 * the `.sig` manifest whose payload (digest-checked) names this digest and whose signature
 * verifies. Throws SignatureInvalid otherwise, saying why.
 */
export async function verifyManifestDigest(
  client: RegistryClient,
  repo: Repository,
  digest: string,
  publicKey: KeyObject,
): Promise<void> {
  const where = `${repo.host}/${repo.repository}@${digest}`;
  let layers: Descriptor[];
  try {
    const pulled = await client.pullManifest(repo, signatureTag(digest), [MediaType.imageManifest]);
    layers = [...((pulled.json as unknown as ImageManifest).layers ?? [])];
  } catch (error) {
    if (error instanceof OciError && error.key === "ArtifactNotFound") {
      throw new OciError("SignatureInvalid", {
        message: `${where} is not signed (no ${signatureTag(digest)})`,
        hint: "sign it with `opm mod publish --sign-key` or `cosign sign --key`, or get it without --verify-key",
      });
    }
    throw error;
  }
  const reasons: string[] = [];
  for (const layer of layers) {
    if (layer.mediaType !== SIMPLE_SIGNING_TYPE) continue;
    const signature = layer.annotations?.[SIGNATURE_ANNOTATION];
    if (signature === undefined) {
      reasons.push("a signature layer without a signature");
      continue;
    }
    const payload = await client.pullBlob(repo, layer, 1024 * 1024);
    if (!verify("sha256", payload, publicKey, Buffer.from(signature, "base64"))) {
      reasons.push("a signature that does not verify with the key");
      continue;
    }
    let signed: string | undefined;
    try {
      signed = (
        JSON.parse(payload.toString("utf8")) as {
          critical?: { image?: { "docker-manifest-digest"?: string } };
        }
      ).critical?.image?.["docker-manifest-digest"];
    } catch {
      signed = undefined;
    }
    if (signed !== digest) {
      reasons.push(`a valid signature for another digest (${signed ?? "none"})`);
      continue;
    }
    return;
  }
  throw new OciError("SignatureInvalid", {
    message: `${where}: no signature verifies with the given key (${reasons.length === 0 ? "no signature layers" : reasons.join("; ")})`,
    hint: "the artefact or its signature was changed, or it was signed with another key; do not use it",
    details: { reasons },
  });
}
