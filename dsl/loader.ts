// Loading TypeScript files: `*.opm.ts` modules and `.ts` values files. The file is bundled to
// plain ESM (its local imports included, packages left as imports), the bundle is cached on disk
// under a key of the file and the host's runtime, and the cached file is imported. Measured on
// 2 cores: ~0.3 s whole process cold and ~0.2 s warm this way, against ~0.6 s for tsx's loader
// hook. Nothing is registered globally. This is the one loader: the CLI uses it with the Node
// host (node-host.ts) for modules and values files alike.
//
// All IO goes through a ModuleHost, so this file only decides when the cache is fresh: every
// input file of the last bundle must still have the content hash it had then (mtimes lie after
// a checkout or a copy; hashing a module's few files costs well under a millisecond).
import {
  brand,
  isModule,
  locateComponentInSource,
  OpmError,
  type Module,
  type SourceLocation,
} from "../sdk/index.ts";

/** What `ModuleHost.bundle` gives back: one ESM file's code and what it was built from. */
export interface BundleResult {
  /** The bundled ESM code. */
  readonly code: string;
  /** Absolute paths of every local file the bundle was built from (the entry included). */
  readonly inputs: readonly string[];
}

/**
 * What `ModuleHost.bundle` throws when the file does not compile: the bundler's first message,
 * and where it points when it does.
 */
export interface BundleFailure extends Error {
  /** Where the bundler's first message points, when it points anywhere. */
  readonly location?: SourceLocation;
}

/**
 * Everything the loader needs from outside (files, hashing, bundling, importing): dsl does no IO of
 * its own. The CLI passes the Node host (`dsl/node-host.ts`, esbuild and the file system).
 */
export interface ModuleHost {
  /** Where bundles and their manifests are kept. */
  readonly cacheDir: string;
  /** The file's text, or undefined when it does not exist. */
  readFile(path: string): Promise<string | undefined>;
  /**
   * Writes a cache file whole (never half a file for a concurrent reader). Bundles of values
   * files hold the values, so the Node host writes them readable by the owner only.
   */
  writeFile(path: string, content: string): Promise<void>;
  /** Removes a cache file that a newer bundle replaced; a failure is ignored. */
  removeFile?(path: string): Promise<void>;
  /** Hex digest of the text (sha-256 in the Node host). */
  hash(content: string): string;
  /** Bundles the entry to ESM with its local imports; packages stay imports. */
  bundle(entry: string): Promise<BundleResult>;
  /** Imports a bundle file and returns its namespace. */
  importFile(path: string): Promise<Record<string, unknown>>;
  /**
   * Identifies what a bundle is built for (bundler version, and where linked imports point), so
   * a bundle built for another runtime is rebuilt instead of reused.
   */
  readonly bundlerVersion: string;
}

interface CacheManifest {
  readonly bundlerVersion: string;
  readonly bundle: string;
  readonly inputs: Readonly<Record<string, string>>;
}

/** A TypeScript file bundled for import, and whether the bundle came from the cache. */
export interface CompiledTypeScript {
  /** The bundle to import (and, once imported, the one that was), for diagnostics. */
  readonly bundlePath: string;
  /** True when the bundle came from the cache (no bundling happened). */
  readonly cached: boolean;
}

/** A TypeScript file's module namespace, and the bundle it came from. */
export interface LoadedTypeScript extends CompiledTypeScript {
  /** What the file exports, by name (`default` for its default export). */
  readonly namespace: Record<string, unknown>;
}

/** A module loaded from a `*.opm.ts` file, and the bundle it came from. */
export interface LoadedModule {
  /** The module the file exports. */
  readonly module: Module;
  /** The bundle that was imported, for diagnostics. */
  readonly bundlePath: string;
  /** True when the bundle came from the cache (no bundling happened). */
  readonly cached: boolean;
}

function join(dir: string, name: string): string {
  return dir.endsWith("/") ? `${dir}${name}` : `${dir}/${name}`;
}

async function readManifest(host: ModuleHost, manifestPath: string): Promise<CacheManifest | undefined> {
  const text = await host.readFile(manifestPath);
  if (text === undefined) return undefined;
  try {
    const manifest = JSON.parse(text) as Partial<CacheManifest>;
    if (typeof manifest.bundle !== "string" || typeof manifest.inputs !== "object") return undefined;
    return manifest as CacheManifest;
  } catch {
    return undefined;
  }
}

async function isFresh(host: ModuleHost, manifest: CacheManifest): Promise<boolean> {
  if (manifest.bundlerVersion !== host.bundlerVersion) return false;
  for (const [path, digest] of Object.entries(manifest.inputs)) {
    const content = await host.readFile(path);
    if (content === undefined || host.hash(content) !== digest) return false;
  }
  return (await host.readFile(join(host.cacheDir, manifest.bundle))) !== undefined;
}

async function build(
  host: ModuleHost,
  entry: string,
  key: string,
  previous: CacheManifest | undefined,
): Promise<string> {
  const { code, inputs } = await host.bundle(entry);
  const bundle = `${key.slice(0, 24)}-${host.hash(code).slice(0, 16)}.mjs`;
  const digests: Record<string, string> = {};
  for (const path of [...inputs].sort()) {
    const content = await host.readFile(path);
    if (content !== undefined) digests[path] = host.hash(content);
  }
  const bundlePath = join(host.cacheDir, bundle);
  await host.writeFile(bundlePath, code);
  const manifest: CacheManifest = { bundlerVersion: host.bundlerVersion, bundle, inputs: digests };
  await host.writeFile(join(host.cacheDir, `${key}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  // The bundle this one replaces is garbage now (names are per file, so no other entry uses it).
  if (previous !== undefined && previous.bundle !== bundle && previous.bundle.startsWith(key.slice(0, 24))) {
    await host.removeFile?.(join(host.cacheDir, previous.bundle)).catch(() => undefined);
  }
  return bundlePath;
}

function locationOf(cause: unknown): SourceLocation | undefined {
  const location = (cause as Partial<BundleFailure> | undefined)?.location;
  return location !== undefined && typeof location.file === "string" ? location : undefined;
}

/**
 * Bundles a TypeScript file (or finds its bundle fresh in the cache) without running any of it.
 * Errors: `OPM8004` with the position when the file does not compile.
 */
export async function compileTypeScript(path: string, host: ModuleHost): Promise<CompiledTypeScript> {
  const key = host.hash(`${path}\u0000${host.bundlerVersion}`);
  const manifest = await readManifest(host, join(host.cacheDir, `${key}.json`));
  if (manifest !== undefined && (await isFresh(host, manifest))) {
    return { bundlePath: join(host.cacheDir, manifest.bundle), cached: true };
  }
  try {
    return { bundlePath: await build(host, path, key, manifest), cached: false };
  } catch (cause) {
    const location = locationOf(cause);
    throw new OpmError("ModuleLoad", {
      message: `cannot compile ${path}: ${messageOf(cause)}`,
      cause,
      ...(location === undefined ? {} : { location, hint: "fix the TypeScript at this position" }),
    });
  }
}

/**
 * Bundles (or takes from the cache) and imports a TypeScript file; returns its namespace.
 * Errors: `OPM8004` when the file does not compile (with the position) or its top level throws.
 *
 * Example: `const { namespace } = await loadTypeScript("/abs/values.ts", host)`.
 */
export async function loadTypeScript(path: string, host: ModuleHost): Promise<LoadedTypeScript> {
  const { bundlePath, cached } = await compileTypeScript(path, host);
  let namespace: Record<string, unknown>;
  try {
    namespace = await host.importFile(bundlePath);
  } catch (cause) {
    throw new OpmError("ModuleLoad", {
      message: `loading ${path} failed: ${messageOf(cause)}`,
      cause,
    });
  }
  return { namespace, bundlePath, cached };
}

/**
 * Loads the module a `*.opm.ts` file exports (as `default`, or as its only Module export).
 *
 * Example: `const { module } = await loadModule("/abs/jellyfin.opm.ts", createNodeModuleHost())`.
 */
export async function loadModule(path: string, host: ModuleHost): Promise<LoadedModule> {
  const { namespace, bundlePath, cached } = await loadTypeScript(path, host);
  const module = pickModule(namespace, path);
  const text = module.locateComponent === undefined ? await host.readFile(path) : undefined;
  if (text === undefined) return { module, bundlePath, cached };
  // Match errors about a component point at where the author wrote it.
  const located = brand("Module", {
    ...module,
    locateComponent: (name: string, field?: string) => locateComponentInSource(path, text, name, field),
  });
  return { module: located, bundlePath, cached };
}

function pickModule(namespace: Record<string, unknown>, path: string): Module {
  // An export is user code's value: reading its kind may run a getter or a proxy trap that throws.
  const moduleOrNot = (value: unknown): boolean => {
    try {
      return isModule(value);
    } catch (cause) {
      throw new OpmError("InvalidModule", {
        message: `${path}: reading its exports threw: ${messageOf(cause)}`,
        hint: "export the module as default: `export default defineModule({...})`",
        cause,
      });
    }
  };
  if (moduleOrNot(namespace["default"])) return namespace["default"] as Module;
  const modules = Object.values(namespace).filter(moduleOrNot) as Module[];
  if (modules.length === 1) return modules[0]!;
  throw new OpmError("InvalidModule", {
    message: modules.length === 0 ? `${path} exports no module` : `${path} exports ${modules.length} modules`,
    hint: "export the module as default: `export default defineModule({...})`",
  });
}

function messageOf(cause: unknown): string {
  try {
    return cause instanceof Error ? cause.message : String(cause);
  } catch {
    return "a thrown value that cannot be shown";
  }
}
