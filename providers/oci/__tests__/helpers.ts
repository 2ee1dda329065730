// Shared pieces of the OCI tests: temporary directories, a Docker config with credentials, and
// the blob file a registry stores on disk (to tamper with it as an attacker with write access to
// the storage would).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `opm-oci-${prefix}-`));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes DOCKER_CONFIG/config.json; returns an env pointing at it. */
export function dockerEnv(config: object): Record<string, string> {
  const dir = tempDir("docker");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.json"), JSON.stringify(config));
  return { DOCKER_CONFIG: dir, HOME: dir, PATH: process.env["PATH"] ?? "" };
}

export function basicAuthEntry(username: string, password: string): { auth: string } {
  return { auth: Buffer.from(`${username}:${password}`).toString("base64") };
}

/** Where Debian's docker-registry (distribution 2.8, filesystem driver) keeps a blob's bytes. */
export function blobDataPath(registryDir: string, digest: string): string {
  const hex = digest.slice("sha256:".length);
  return join(
    registryDir,
    "storage",
    "docker",
    "registry",
    "v2",
    "blobs",
    "sha256",
    hex.slice(0, 2),
    hex,
    "data",
  );
}
