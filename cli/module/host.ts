// The CLI's ModuleHost for the dsl's loadModule: the dsl decides when a cached bundle is fresh;
// this host supplies the file system, a lazily loaded esbuild (a cache hit never loads it) that
// links `@opm/sdk` imports to the running copy (self.ts), and compile errors with positions.
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import type { ModuleHost } from "../../dsl/index.ts";
import { VERSION } from "../../sdk/version.ts";
import { bundleFile } from "./bundle.ts";
import { selfPackage } from "./self.ts";

export function createCliModuleHost(cacheDir: string): ModuleHost {
  return {
    cacheDir,
    // esbuild's own version would need esbuild loaded; ours pins it, and the mode matters too.
    bundlerVersion: `opm ${VERSION} ${selfPackage().mode}`,
    async readFile(path) {
      try {
        return await readFile(path, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    async writeFile(path, content) {
      await mkdir(dirname(path), { recursive: true });
      // Temp name + rename: a concurrent `opm` never imports half a bundle.
      const temp = `${path}.${process.pid}.tmp`;
      await writeFile(temp, content);
      await rename(temp, path);
    },
    hash: (content) => createHash("sha256").update(content).digest("hex"),
    async bundle(entry) {
      const { code, inputs } = await bundleFile(entry);
      return { code: Buffer.from(code).toString("utf8"), inputs };
    },
    async importFile(path) {
      return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    },
  };
}
