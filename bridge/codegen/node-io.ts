// The generator's Node side: reads catalog/cue, formats with the repository's prettier
// settings and writes catalog/generated and docs/catalog.md. Used by the mains and the staleness
// tests only.
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import { catalogReference } from "./catalog-reference.ts";
import type { CatalogDescription } from "./description.ts";
import type { Formatter } from "./emit.ts";
import type { CatalogSourceFile } from "./extract.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CATALOG_CUE_DIR = join(REPO_ROOT, "catalog", "cue");
export const GENERATED_DIR = join(REPO_ROOT, "catalog", "generated");
export const CATALOG_SCHEMAS_FILE = join(REPO_ROOT, "bridge", "codegen", "catalog-schemas.ts");

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.name.endsWith(".cue")) files.push(path);
  }
  return files;
}

export async function readCatalogSources(dir: string = CATALOG_CUE_DIR): Promise<CatalogSourceFile[]> {
  const paths = (await walk(dir)).sort();
  return Promise.all(
    paths.map(async (path) => ({
      path: relative(dir, path).split("\\").join("/"),
      content: await readFile(path, "utf8"),
    })),
  );
}

export const prettierFormatter: Formatter = async (source, fileName) => {
  const path = fileName === "catalog-schemas.ts" ? CATALOG_SCHEMAS_FILE : join(GENERATED_DIR, fileName);
  const options = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(source, { ...options, filepath: path });
};

/** Replaces the directory's generated files with `files`. */
export async function writeGenerated(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const [name, content] of files) await writeFile(join(dir, name), content);
}

export async function readGenerated(dir: string = GENERATED_DIR): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of (await readdir(dir)).sort()) out.set(name, await readFile(join(dir, name), "utf8"));
  return out;
}

export const CATALOG_REFERENCE_FILE = join(REPO_ROOT, "docs", "catalog.md");

/** docs/catalog.md as `npm run docs:catalog` writes it, from the checked-in catalog/generated/catalog.json. */
export async function formattedCatalogReference(): Promise<string> {
  const description = JSON.parse(
    await readFile(join(GENERATED_DIR, "catalog.json"), "utf8"),
  ) as CatalogDescription;
  const options = (await prettier.resolveConfig(CATALOG_REFERENCE_FILE)) ?? {};
  return prettier.format(catalogReference(description), { ...options, filepath: CATALOG_REFERENCE_FILE });
}
