// The import paths of a CUE module's own files, for `opm mod tidy` (which needs no `cue`
// binary): CUE puts imports after the package clause and before any other declaration, so a
// scan of that prologue finds them all without evaluating anything.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export interface ImportUse {
  /** The import path without its package qualifier, e.g. `opmodel.dev/core@v0`. */
  readonly path: string;
  readonly file: string;
}

/** Import paths declared in one CUE file. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const source = text.replace(/\/\/[^\n]*/g, "");
  let rest = source;
  const skip = () => {
    rest = rest.replace(/^\s+/, "");
  };
  skip();
  for (;;) {
    skip();
    const attribute = /^@[A-Za-z_][\w]*\([^)]*\)/.exec(rest);
    if (attribute !== null) {
      rest = rest.slice(attribute[0].length);
      continue;
    }
    const pkg = /^package\s+[A-Za-z_#$][\w$]*/.exec(rest);
    if (pkg !== null) {
      rest = rest.slice(pkg[0].length);
      continue;
    }
    const block = /^import\s*\(([^)]*)\)/.exec(rest);
    if (block !== null) {
      for (const m of block[1]!.matchAll(/"([^"]+)"/g)) out.push(m[1]!);
      rest = rest.slice(block[0].length);
      continue;
    }
    const single = /^import\s+(?:[A-Za-z_#$][\w$]*\s+)?"([^"]+)"/.exec(rest);
    if (single !== null) {
      out.push(single[1]!);
      rest = rest.slice(single[0].length);
      continue;
    }
    return out.map((p) => p.replace(/:[A-Za-z_#$][\w$]*$/, ""));
  }
}

/** Every non-standard-library import of the module's files (cue.mod excluded), sorted. */
export async function moduleImports(root: string): Promise<ImportUse[]> {
  const uses: ImportUse[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const relPath = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (relPath === "cue.mod" || entry.name.startsWith(".") || entry.name === "node_modules") continue;
        await walk(join(dir, entry.name), relPath);
      } else if (entry.isFile() && entry.name.endsWith(".cue")) {
        for (const path of importsOf(await readFile(join(dir, entry.name), "utf8"))) {
          // The standard library's paths have no dot in their first element.
          if (path.split("/")[0]!.includes(".")) uses.push({ path, file: relPath });
        }
      }
    }
  };
  await walk(root, "");
  return uses.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
