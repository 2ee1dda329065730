// The imports of the emitted CUE file: catalog packages whose mixins components embed, and the
// CUE standard library packages a translated call needs (encoding/base64, strings, list). Also
// derives the `cue.mod/module.cue` dependencies from them.

/** Standard library packages: imported under their last path element, never a dependency. */
const STANDARD = new Set(["encoding/base64", "encoding/json", "strings", "list", "math"]);

/** What each opmodel.dev catalog module itself depends on (catalog/cue/<module>/cue.mod). */
const CATALOG_MODULE_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  "opmodel.dev/core@v0": [],
  "opmodel.dev/schemas@v0": [],
  "opmodel.dev/resources@v0": ["opmodel.dev/core@v0", "opmodel.dev/schemas@v0"],
  "opmodel.dev/traits@v0": ["opmodel.dev/core@v0", "opmodel.dev/resources@v0", "opmodel.dev/schemas@v0"],
  "opmodel.dev/blueprints@v0": [
    "opmodel.dev/core@v0",
    "opmodel.dev/resources@v0",
    "opmodel.dev/schemas@v0",
    "opmodel.dev/traits@v0",
  ],
  "opmodel.dev/policies@v0": ["opmodel.dev/core@v0", "opmodel.dev/schemas@v0"],
  "opmodel.dev/interfaces@v0": ["opmodel.dev/core@v0", "opmodel.dev/schemas@v0"],
};

/**
 * The module a package import path belongs to. Catalog packages live one directory below their
 * module root (`opmodel.dev/traits/workload@v0` is in `opmodel.dev/traits@v0`); other paths are
 * taken to be module roots themselves.
 */
export function moduleOfImport(importPath: string): string {
  const match = /^([^/]+\/[^/@]+)(?:\/[^@]*)?(@v\d+)$/.exec(importPath);
  if (match !== null && match[1]!.startsWith("opmodel.dev/")) return `${match[1]}${match[2]}`;
  return importPath;
}

/** `opmodel.dev/traits/workload@v0` → `traits_workload`; `encoding/base64` → `base64`. */
function aliasOf(importPath: string): string {
  if (STANDARD.has(importPath)) return importPath.split("/").pop()!;
  const segments = importPath
    .replace(/@v\d+$/, "")
    .split("/")
    .slice(1)
    .filter((s) => s.length > 0);
  const alias = segments
    .slice(-2)
    .join("_")
    .replace(/[^A-Za-z0-9_]/g, "_");
  return /^[A-Za-z]/.test(alias) ? alias : `p_${alias}`;
}

export class ImportSet {
  private readonly byPath = new Map<string, string>();

  /** The alias under which `importPath` is imported, adding the import on first use. */
  use(importPath: string): string {
    const existing = this.byPath.get(importPath);
    if (existing !== undefined) return existing;
    const base = aliasOf(importPath);
    const taken = new Set(this.byPath.values());
    let alias = base;
    for (let n = 2; taken.has(alias); n++) alias = `${base}${n}`;
    this.byPath.set(importPath, alias);
    return alias;
  }

  /** The import clause, sorted so output does not depend on evaluation order. */
  clause(): string {
    // The standard library first, then modules, each sorted by path, as `cue fmt` users write.
    const rank = (path: string): string => `${STANDARD.has(path) ? 0 : 1}${path}`;
    const entries = [...this.byPath.entries()].sort(([a], [b]) =>
      rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0,
    );
    if (entries.length === 0) return "";
    const lines = entries.map(([path, alias]) =>
      STANDARD.has(path) && aliasOf(path) === alias ? `\t"${path}"` : `\t${alias} "${path}"`,
    );
    return `import (\n${lines.join("\n")}\n)\n`;
  }

  /** The modules the emitted file needs, with everything they depend on (CUE's build list). */
  dependencies(): string[] {
    const modules = new Set<string>();
    const add = (module: string): void => {
      if (modules.has(module)) return;
      modules.add(module);
      for (const dep of CATALOG_MODULE_DEPENDENCIES[module] ?? []) add(dep);
    };
    for (const path of this.byPath.keys()) if (!STANDARD.has(path)) add(moduleOfImport(path));
    return [...modules].sort();
  }
}
