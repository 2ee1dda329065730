// Serialises rendered objects the way `opm mod build` prints them (reference §3.8): a YAML
// stream of documents separated by `---`, or one pretty-printed JSON array. Objects are
// expected in canonical key order already (render does that), so the same render gives the
// same bytes. Long strings are never folded, so a value reads the same as in the input.
import { stringify } from "yaml";
import type { PlatformObject } from "../ir/transformer.ts";

export type ManifestFormat = "yaml" | "json";

export function formatManifests(
  objects: readonly { readonly object: PlatformObject }[] | readonly PlatformObject[],
  format: ManifestFormat = "yaml",
): string {
  const plain = objects.map((item) => ("object" in item && !("apiVersion" in item) ? item.object : item));
  if (format === "json") return `${JSON.stringify(plain, null, 2)}\n`;
  return plain.map((object) => stringify(object, { lineWidth: 0, indent: 2 })).join("---\n");
}
