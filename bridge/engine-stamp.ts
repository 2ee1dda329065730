// What identifies the engine a CachingTransport stands in for, beside its flags and environment:
// the build that would answer (native binary and wasm module, by size and modification time:
// `npm run build:engine` writes new files) and the built-in catalog by content (every file, as
// the engine's own content version counts them), so answers of an older catalog or engine are
// never served.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** A stamp of the engine artefacts at `files` and the catalog at `catalogDir`. */
export function engineStamp(files: readonly string[], catalogDir: string | undefined): string {
  const hash = createHash("sha256");
  for (const file of files) {
    const stat = statSync(file, { throwIfNoEntry: false });
    hash.update(`${file}\0${stat === undefined ? "missing" : `${stat.size}:${stat.mtimeMs}`}\0`);
  }
  if (catalogDir !== undefined) hashTree(hash, catalogDir, "");
  return hash.digest("hex");
}

function hashTree(hash: ReturnType<typeof createHash>, root: string, relative: string): void {
  const entries = readdirSync(join(root, relative), { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) hashTree(hash, root, path);
    else if (entry.isFile()) {
      const content = readFileSync(join(root, path));
      hash.update(`${path}\0${content.length}\0`).update(content);
    }
  }
}
