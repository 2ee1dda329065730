// UUIDv5 (RFC 9562, SHA-1 name-based) identities. node:crypto's hashing is pure computation,
// so it is allowed in sdk; no randomness or clock is involved, which keeps identities stable.
import { createHash } from "node:crypto";

/** The root namespace of every OPM identity. It must never change (docs/architecture.md, decision 1). */
export const OPM_NAMESPACE = "11bc6112-a6e8-4021-bec9-b3ad246f9466";

function uuidToBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`not a UUID: ${uuid}`);
  return Buffer.from(hex, "hex");
}

function bytesToUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** UUIDv5 of `name` (UTF-8) in `namespace`; lower-case canonical form. */
export function uuidV5(namespace: string, name: string): string {
  const digest = createHash("sha1").update(uuidToBytes(namespace)).update(name, "utf8").digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  return bytesToUuid(bytes);
}

/** A module's identity: UUIDv5(OPM, "<fqn>:<version>"). Changes with the version. */
export function moduleIdentity(fqn: string, version: string): string {
  return uuidV5(OPM_NAMESPACE, `${fqn}:${version}`);
}

/**
 * A release's identity: UUIDv5(OPM, "<module fqn>:<release name>:<namespace>"). Independent
 * of the module version, so an upgrade keeps the release's identity.
 */
export function releaseIdentity(moduleFqn: string, releaseName: string, namespace: string): string {
  return uuidV5(OPM_NAMESPACE, `${moduleFqn}:${releaseName}:${namespace}`);
}
