// The Node implementation of ModuleHost: the one place in dsl/ that touches the file system,
// esbuild and dynamic import. The CLI creates it (with its cache directory and the links to its
// own running copy, see cli/module/host.ts) and hands it to loadModule/loadTypeScript; library
// users may do the same or bring their own host.
import { createHash, randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { isAbsolute, resolve as resolvePath } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Plugin } from "esbuild";
import type { BundleFailure, BundleResult, ModuleHost } from "./loader.ts";

/** Our own package directory: packages a module cannot resolve itself (zod, @opm/sdk) come from here. */
const OWN_PACKAGE_DIR = fileURLToPath(new URL("../", import.meta.url));

/**
 * Imports a bundle links to instead of resolving them, so a module shares one copy of the sdk
 * and zod with the program that loads it (and so one set of IR brands).
 */
export interface ModuleLinks {
  /** Bare specifiers and the file each stands for: `@opm/sdk/dsl` -> the running copy's entry. */
  readonly specifiers: ReadonlyMap<string, string>;
  /**
   * Files reached by a relative import that stand for another file: the TS source of one of our
   * entries (`<root>/dsl/index.ts`, as the repository's examples import it) -> the running entry.
   */
  readonly files?: ReadonlyMap<string, string>;
  /** True: linked files stay imports (they are JS). False: they are bundled (TS sources). */
  readonly external: boolean;
}

export interface NodeModuleHostOptions {
  /** Where bundles are cached, e.g. `~/.cache/opm/modules`; created owner-only (0700). */
  readonly cacheDir: string;
  /** Resolve through the repository's TS sources (`@opm/source`), as tests and examples do. */
  readonly sourceConditions?: boolean;
  readonly links?: ModuleLinks;
  /** Where a package the file's own directory cannot resolve is looked up (default: this package). */
  readonly fallbackDir?: string;
  /**
   * Names what bundles are built for (default: the esbuild version). Give a value that changes
   * when `links` point elsewhere, so a cached bundle never links into another installation.
   */
  readonly runtimeId?: string;
}

const RESOLVING = "opm-resolving";

/**
 * Keeps package imports as imports of their resolved file, so they load from where they live;
 * linked specifiers and files point at the linked copy. A package the file's own directory
 * cannot resolve is looked up from `fallbackDir`, so a module needs no local install of zod or
 * the sdk.
 */
function resolvePlugin(options: NodeModuleHostOptions): Plugin {
  const links = options.links;
  const linked = (file: string) =>
    links?.external === true ? { path: pathToFileURL(file).href, external: true } : { path: file };
  return {
    name: "opm-resolve",
    setup(build) {
      const files = links?.files;
      if (files !== undefined && files.size > 0) {
        build.onResolve({ filter: /^\.\.?\// }, (args) => {
          const file = files.get(resolvePath(args.resolveDir, args.path));
          return file === undefined ? undefined : linked(file);
        });
      }
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === RESOLVING || args.path.startsWith("node:")) return undefined;
        const link = links?.specifiers.get(args.path);
        if (link !== undefined) return linked(link);
        const resolveFrom = (resolveDir: string) =>
          build.resolve(args.path, {
            kind: args.kind,
            resolveDir,
            importer: args.importer,
            pluginData: RESOLVING,
          });
        let resolved = await resolveFrom(args.resolveDir);
        if (resolved.errors.length > 0) resolved = await resolveFrom(options.fallbackDir ?? OWN_PACKAGE_DIR);
        if (resolved.errors.length > 0 || resolved.external) return undefined;
        // Our own sources reached through the `@opm/source` condition are bundled like local files.
        if (!resolved.path.includes("/node_modules/")) return { path: resolved.path };
        return { path: pathToFileURL(resolved.path).href, external: true };
      });
    },
  };
}

interface EsbuildMessage {
  readonly text: string;
  readonly location: { readonly file: string; readonly line: number; readonly column: number } | null;
}

/** esbuild's failure as a BundleFailure: its first message, positioned (1-based column). */
function bundleFailure(error: unknown): BundleFailure {
  const first = (error as { errors?: readonly EsbuildMessage[] }).errors?.[0];
  if (first === undefined) return error instanceof Error ? error : new Error(String(error));
  const failure: BundleFailure = Object.assign(new Error(first.text), {
    ...(first.location === null
      ? {}
      : {
          location: {
            file: resolvePath(first.location.file),
            line: first.location.line,
            column: first.location.column + 1,
          },
        }),
  });
  return failure;
}

function esbuildVersion(): string {
  const manifest = createRequire(import.meta.url)("esbuild/package.json") as { version: string };
  return `esbuild ${manifest.version}`;
}

export function createNodeModuleHost(options: NodeModuleHostOptions): ModuleHost {
  const cacheDir = resolvePath(options.cacheDir);
  let cacheDirReady: Promise<void> | undefined;
  // Owner-only: bundles of values files hold the values, which may be secrets.
  const ensureCacheDir = () =>
    (cacheDirReady ??= mkdir(cacheDir, { recursive: true, mode: 0o700 }).then(() => chmod(cacheDir, 0o700)));
  return {
    cacheDir,
    bundlerVersion: options.runtimeId ?? esbuildVersion(),
    async readFile(path) {
      try {
        return await readFile(path, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    async writeFile(path, content) {
      await ensureCacheDir();
      // Temp name + rename: a concurrent reader never imports half a file.
      const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
      try {
        await writeFile(temp, content, { mode: 0o600 });
        await rename(temp, path);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    async removeFile(path) {
      await rm(path, { force: true });
    },
    hash: (content) => createHash("sha256").update(content).digest("hex"),
    async bundle(entry): Promise<BundleResult> {
      // Loaded on first use: a cache hit never loads esbuild.
      const esbuild = await import("esbuild");
      let result;
      try {
        result = await esbuild.build({
          entryPoints: [entry],
          bundle: true,
          write: false,
          format: "esm",
          platform: "node",
          target: "node20",
          metafile: true,
          logLevel: "silent",
          conditions: options.sourceConditions === true ? ["@opm/source"] : [],
          plugins: [resolvePlugin(options)],
        });
      } catch (error) {
        throw bundleFailure(error);
      }
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
