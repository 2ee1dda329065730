// The Node implementation of ModuleHost: the one place in dsl/ that touches the file system,
// esbuild and dynamic import. The CLI creates it (passing its cache directory) and hands it to
// loadModule; library users may do the same or bring their own host.
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve as resolvePath } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import type { BundleResult, ModuleHost } from "./loader.ts";

/** Our own package directory: packages a module cannot resolve itself (zod, @opm/sdk) come from here. */
const OWN_PACKAGE_DIR = fileURLToPath(new URL("../", import.meta.url));

/**
 * Keeps package imports as imports of their resolved file, so they load from where they live.
 * A package the module's own directory cannot resolve is looked up from this package, so a
 * module needs no local install of zod or the sdk.
 */
const externalPackages: esbuild.Plugin = {
  name: "opm-external-packages",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === "opm-resolving" || args.path.startsWith("node:")) return undefined;
      const resolveFrom = (resolveDir: string) =>
        build.resolve(args.path, {
          kind: args.kind,
          resolveDir,
          importer: args.importer,
          pluginData: "opm-resolving",
        });
      let resolved = await resolveFrom(args.resolveDir);
      if (resolved.errors.length > 0) resolved = await resolveFrom(OWN_PACKAGE_DIR);
      if (resolved.errors.length > 0 || resolved.external) return undefined;
      // Our own sources reached through the `@opm/source` condition are bundled like local files.
      if (!resolved.path.includes("/node_modules/")) return { path: resolved.path };
      return { path: pathToFileURL(resolved.path).href, external: true };
    });
  },
};

export interface NodeModuleHostOptions {
  /** Where bundles are cached, e.g. `~/.cache/opm/modules`. */
  readonly cacheDir: string;
  /** Resolve through the repository's TS sources (`@opm/source`), as tests and examples do. */
  readonly sourceConditions?: boolean;
}

export function createNodeModuleHost(options: NodeModuleHostOptions): ModuleHost {
  const cacheDir = resolvePath(options.cacheDir);
  return {
    cacheDir,
    bundlerVersion: `esbuild ${esbuild.version}`,
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
      await writeFile(path, content);
    },
    hash: (content) => createHash("sha256").update(content).digest("hex"),
    async bundle(entry): Promise<BundleResult> {
      const result = await esbuild.build({
        entryPoints: [entry],
        bundle: true,
        write: false,
        format: "esm",
        platform: "node",
        target: "node20",
        metafile: true,
        logLevel: "silent",
        conditions: options.sourceConditions === true ? ["@opm/source"] : [],
        plugins: [externalPackages],
      });
      const code = result.outputFiles[0]?.text ?? "";
      const inputs = Object.keys(result.metafile.inputs)
        .filter((input) => !input.includes(":"))
        .map((input) => (isAbsolute(input) ? input : resolvePath(input)));
      return { code, inputs };
    },
    async importFile(path) {
      return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    },
  };
}
