// Digests of a rendered set (RFC-0001): the manifest digest over all objects in apply order, a
// digest per object (lets a re-apply skip objects that did not change), and the change id that
// keys a history record. JSON is written with sorted keys and Go's HTML escaping so the manifest
// digest matches the upstream CLI's byte for byte.
import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level, escaped like Go's encoding/json. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026");
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

/** `sha256:<hex>` of a text's UTF-8 bytes: how the inventory writes digests. */
export function sha256(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

/** The digest of the whole rendered set; objects must already be in apply order. */
export function manifestDigest(objects: readonly unknown[]): string {
  return sha256(objects.map(stableJson).join("\n"));
}

export function objectDigest(object: unknown): string {
  return sha256(stableJson(object));
}

/** `change-sha1-<8 hex>` from the module identity, the values digest and the manifest digest. */
export function changeId(
  moduleFqn: string,
  moduleVersion: string,
  valuesDigest: string,
  manifest: string,
): string {
  const hash = createHash("sha1")
    .update(moduleFqn + moduleVersion + valuesDigest + manifest)
    .digest("hex");
  return `change-sha1-${hash.slice(0, 8)}`;
}

/**
 * The ApplySet id of a parent object (KEP-3659): base64url(sha256("<name>.<namespace>.<kind>.<group>"))
 * between `applyset-` and `-v1`. kubectl and other tools recognise members by this label value.
 */
export function applySetId(name: string, namespace: string, kind: string, group: string): string {
  const hash = createHash("sha256").update(`${name}.${namespace}.${kind}.${group}`).digest("base64url");
  return `applyset-${hash}-v1`;
}
