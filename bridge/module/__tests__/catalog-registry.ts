// Test support: publishes our CUE catalog (catalog/cue/<module>/, providers included) to an OCI
// registry in CUE's module layout, so modules importing `opmodel.dev/core@v0`, ... resolve
// through CUE_REGISTRY exactly as they do for users.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { publishModule } from "../../__tests__/publish-module.ts";

export const CATALOG_CUE_DIR = fileURLToPath(new URL("../../../catalog/cue/", import.meta.url));

/** The catalog modules by directory name, in dependency order. */
export const CATALOG_MODULE_DIRS = [
  "core",
  "schemas",
  "resources",
  "traits",
  "blueprints",
  "policies",
  "interfaces",
  "providers",
] as const;

/** The version every catalog module's `deps` pins its siblings to. */
export const CATALOG_VERSION = "v0.1.0";

function filesOf(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".cue"))
        out[relative(root, path).split("\\").join("/")] = readFileSync(path, "utf8");
    }
  };
  walk(root);
  return out;
}

/** Publishes every catalog module as CATALOG_VERSION; idempotent for unchanged content. */
export async function publishCatalog(registryUrl: string): Promise<void> {
  for (const dir of CATALOG_MODULE_DIRS) {
    await publishModule(registryUrl, {
      modulePath: `opmodel.dev/${dir}@v0`,
      version: CATALOG_VERSION,
      files: filesOf(join(CATALOG_CUE_DIR, dir)),
    });
  }
}

/** CUE_REGISTRY routing only `opmodel.dev` to the (plain HTTP) test registry. */
export function catalogRegistry(host: string): string {
  return `opmodel.dev=${host}+insecure`;
}
