// The controller tests' module as `spec.module.inline.files`; apart from helpers.ts (which needs
// vitest) so that the soak in bench/ carries the same module.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** The test module's files, as `spec.module.inline.files`. */
export function helloFiles(): Record<string, string> {
  return moduleFiles(new URL("testdata/hello/", import.meta.url).pathname);
}

/** A module directory's files by relative path, as `spec.module.inline.files`. */
export function moduleFiles(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(root, path)] = readFileSync(path, "utf8");
    }
  };
  walk(root);
  return files;
}
