// The one manifest printer, used by `opm mod build`, the golden files and the parity tests: a
// YAML stream of documents separated by `---`, or one JSON `v1 List` as kubectl prints it (and
// `kubectl apply -f` reads). Objects are expected in canonical key order already (render does
// that), so the same render gives the same bytes. Long strings are never folded, so a value
// reads the same as in the input, and an object a transformer reuses in two places is written
// out twice, never as a YAML anchor and alias that other tools would have to resolve. Most
// documents are printed directly (plain-yaml.ts, the same bytes); the rest by yaml.
import { stringify } from "yaml";
import type { PlatformObject } from "../ir/transformer.ts";
import { printPlainYaml } from "./plain-yaml.ts";

/** How {@link formatManifests} prints: a `---`-separated YAML stream, or one JSON `v1 List`. */
export type ManifestFormat = "yaml" | "json";

/**
 * Prints rendered objects (or plain objects) as `opm mod build` does, in the order given; the same objects
 * give the same bytes.
 *
 * @param format - `yaml` (default) or `json`.
 */
export function formatManifests(
  objects: readonly { readonly object: PlatformObject }[] | readonly PlatformObject[],
  format: ManifestFormat = "yaml",
): string {
  const plain = objects.map((item) => ("object" in item && !("apiVersion" in item) ? item.object : item));
  if (format === "json")
    return `${JSON.stringify({ apiVersion: "v1", kind: "List", items: plain }, null, 2)}\n`;
  return plain
    .map(
      (object) =>
        printPlainYaml(object) ??
        stringify(object, { lineWidth: 0, indent: 2, aliasDuplicateObjects: false }),
    )
    .join("---\n");
}
