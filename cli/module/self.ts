// Where this copy of @opm/sdk lives, and the file behind each of its public entries. Modules that
// import `@opm/sdk/...` are linked to the copy running the CLI, so a scaffold builds right after
// `opm mod init` without an `npm install`, and module and CLI share one set of IR brands.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LINKED_SPECIFIERS, linkFileName, type LinkedSpecifier } from "./links.ts";

export interface SelfPackage {
  readonly root: string;
  /** True when running from TypeScript sources (tests, tsx), false from the built dist/. */
  readonly fromSource: boolean;
  /** `source` (tsx, tests), `dist` (tsc output) or `bundle` (dist/opm, see build-bundle.ts). */
  readonly mode: "source" | "dist" | "bundle";
  /** `@opm/sdk/dsl` -> absolute file, for every public entry. */
  readonly entries: ReadonlyMap<string, string>;
  /** Packages the bundle's worker serves (`zod`), to link modules' imports of them to. */
  readonly bundledPackages: ReadonlyMap<string, string>;
  /** Absolute TS source file of each public entry (`<root>/dsl/index.ts`) -> `@opm/sdk/dsl`. */
  readonly sourceEntries: ReadonlyMap<string, string>;
}

type ExportTarget = Readonly<Record<string, string | null>> | string | null;

let cached: SelfPackage | undefined;

export function selfPackage(): SelfPackage {
  if (cached !== undefined) return cached;
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith(".ts");
  let root = dirname(here);
  let manifest: { name?: string; exports?: Record<string, ExportTarget> } = {};
  for (;;) {
    try {
      manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as typeof manifest;
      if (manifest.name === "@opm/sdk") break;
    } catch {
      // no package.json here: keep walking up
    }
    const parent = dirname(root);
    if (parent === root) throw new Error(`cannot find the @opm/sdk package above ${here}`);
    root = parent;
  }
  // In the bundle, this code sits in a chunk directly inside dist/opm/.
  const mode = fromSource ? "source" : dirname(here) === join(root, "dist", "opm") ? "bundle" : "dist";
  const entries = new Map<string, string>();
  const sourceEntries = new Map<string, string>();
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (target === null || typeof target === "string") continue;
    const source = target["@opm/source"];
    if (typeof source === "string") sourceEntries.set(join(root, source), `@opm/sdk${subpath.slice(1)}`);
    const specifier = `@opm/sdk${subpath.slice(1)}`;
    const bundled = linkFile(root, specifier);
    const file =
      mode === "bundle" && bundled !== undefined && existsSync(bundled)
        ? bundled
        : fromSource
          ? target["@opm/source"]
          : target["default"];
    if (typeof file !== "string") continue;
    entries.set(specifier, mode === "bundle" && file === bundled ? file : join(root, file));
  }
  const bundledPackages = new Map<string, string>();
  const bundledZod = linkFile(root, "zod")!;
  if (mode === "bundle" && existsSync(bundledZod)) bundledPackages.set("zod", bundledZod);
  cached = { root, fromSource, mode, entries, sourceEntries, bundledPackages };
  return cached;
}

/** The link file of a specifier the bundled worker serves (links.ts), else undefined. */
function linkFile(root: string, specifier: string): string | undefined {
  return specifier in LINKED_SPECIFIERS
    ? join(root, "dist", "opm", linkFileName(specifier as LinkedSpecifier))
    : undefined;
}
