// Reading keys named on the command line and signing or verifying a manifest digest with them.
import type { KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  OciError,
  readPrivateKey,
  readPublicKey,
  signManifestDigest,
  verifyManifestDigest,
  type RegistryClient,
  type Repository,
} from "../../providers/oci/index.ts";

type Env = Readonly<Record<string, string | undefined>>;

async function readKeyFile(path: string, cwd: string, what: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, path), "utf8");
  } catch (error) {
    throw new OciError("FileUnreadable", {
      message: `the ${what} ${path} cannot be read: ${(error as Error).message}`,
    });
  }
}

/** Reads a signing key; its password comes from COSIGN_PASSWORD, as for cosign. */
export async function loadSigningKey(keyFile: string, cwd: string, env: Env): Promise<KeyObject> {
  return readPrivateKey(await readKeyFile(keyFile, cwd, "signing key"), env["COSIGN_PASSWORD"]);
}

export async function signManifest(
  client: RegistryClient,
  repo: Repository,
  digest: string,
  key: KeyObject,
): Promise<string> {
  return signManifestDigest(client, repo, digest, key);
}

export async function loadVerifyKey(keyFile: string, cwd: string): Promise<KeyObject> {
  return readPublicKey(await readKeyFile(keyFile, cwd, "verification key"));
}

export async function verifyManifest(
  client: RegistryClient,
  repo: Repository,
  digest: string,
  key: KeyObject,
): Promise<void> {
  await verifyManifestDigest(client, repo, digest, key);
}
