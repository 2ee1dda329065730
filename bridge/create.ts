// createCueEngine: picks and configures the engine build. Nothing starts until the first request.
import { CachingTransport } from "./answer-cache.ts";
import { EngineClient } from "./client.ts";
import { engineStamp } from "./engine-stamp.ts";
import type { CueEngine, CueEngineOptions } from "./engine.ts";
import { FallbackTransport } from "./fallback.ts";
import {
  WASM_EXEC,
  WASM_MODULE,
  artefactCandidates,
  findArtefact,
  findBuiltinCatalog,
  nativeBinaryName,
} from "./locate.ts";
import { NativeTransport } from "./native.ts";
import type { EngineTransport } from "./transport.ts";
import { WasmTransport } from "./wasm.ts";

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MEMORY_LIMIT_MB = 2048;

/**
 * What Go's module code reads from the environment (caches, registry auth and configuration).
 * The wasm engine gets only these: Go caps its argv + environment at about 8 KB.
 */
const WASM_ENV_KEYS = [
  "HOME",
  "XDG_CACHE_HOME",
  "XDG_CONFIG_HOME",
  "CUE_CACHE_DIR",
  "CUE_CONFIG_DIR",
  "CUE_REGISTRY",
  "CUE_EXPERIMENT",
  "DOCKER_CONFIG",
] as const;

/**
 * Creates a CUE engine owned by the caller, who must `close()` it: CUE evaluation, export,
 * validation and module loading, run by the native engine for this platform or the wasm one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createCueEngine } from "@opm/sdk/bridge";
 *
 * const engine = createCueEngine();
 * try {
 *   const value = await engine.compile('replicas: *1 | int, name: "web"');
 *   assert.deepEqual(await engine.export(value), { replicas: 1, name: "web" });
 * } finally {
 *   await engine.close();
 * }
 * ```
 */
export function createCueEngine(options: CueEngineOptions = {}): CueEngine {
  const args = [`-memory-limit-mb=${options.memoryLimitMB ?? DEFAULT_MEMORY_LIMIT_MB}`];
  // Registry and cache go in as flags, so the environment can stay inherited (native) as is.
  if (options.cueRegistry !== undefined) args.push(`-registry=${options.cueRegistry}`);
  if (options.cacheDir !== undefined) args.push(`-cache-dir=${options.cacheDir}`);
  const catalogDir = options.catalogDir === false ? undefined : (options.catalogDir ?? findBuiltinCatalog());
  if (catalogDir !== undefined) args.push(`-catalog-dir=${catalogDir}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = engineTransport(options, args);
  const { cache } = options;
  if (cache === undefined) return new EngineClient(transport, timeoutMs);
  // What decides answers besides requests and module files: the engine build and catalog, the
  // engine's flags and its environment.
  const settings = [
    engineStamp([nativeBinaryPath(options), wasmFilePath(options)], catalogDir),
    ...args,
    JSON.stringify(wasmEnvironment(options.env ?? {})),
  ];
  return new EngineClient(new CachingTransport(transport, cache, settings), timeoutMs);
}

function engineTransport(options: CueEngineOptions, args: readonly string[]): EngineTransport {
  const wanted = options.engine ?? "auto";
  if (wanted === "wasm") return wasmTransport(options, args);
  const native = nativeTransport(options, args);
  if (wanted === "native") return native;
  return new FallbackTransport({
    primary: native,
    fallback: () => wasmTransport(options, args),
    onFallback: (reason) =>
      options.onNotice?.(
        `the native CUE engine for ${process.platform}-${process.arch} cannot start (${reason}); using the wasm engine`,
      ),
  });
}

function nativeBinaryPath(options: CueEngineOptions): string {
  const name = nativeBinaryName();
  return options.nativeBinary ?? findArtefact(name) ?? firstCandidate(name);
}

function wasmFilePath(options: CueEngineOptions): string {
  return options.wasmFile ?? findArtefact(WASM_MODULE) ?? firstCandidate(WASM_MODULE);
}

function nativeTransport(options: CueEngineOptions, args: readonly string[]): EngineTransport {
  const binary = nativeBinaryPath(options);
  // Without options.env the child inherits our environment; a given env replaces it entirely.
  return new NativeTransport({ binary, args, env: options.env && definedOnly(options.env) });
}

function wasmTransport(options: CueEngineOptions, args: readonly string[]): EngineTransport {
  return new WasmTransport({
    wasmFile: wasmFilePath(options),
    wasmExecFile: options.wasmExecFile ?? findArtefact(WASM_EXEC) ?? firstCandidate(WASM_EXEC),
    args,
    env: wasmEnvironment(options.env ?? {}),
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    fileSystem: options.fileSystem ?? true,
  });
}

/**
 * Go's environment inside wasm. Go's os.UserCacheDir under GOOS=js sees only these variables,
 * so HOME must be passed for the module cache to have a home (USERPROFILE stands in on Windows).
 */
export function wasmEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of WASM_ENV_KEYS) {
    const value = env[key];
    if (value !== undefined && value !== "") out[key] = value;
  }
  const profile = env["USERPROFILE"];
  if (out["HOME"] === undefined && profile !== undefined && profile !== "") out["HOME"] = profile;
  return out;
}

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

function firstCandidate(name: string): string {
  return artefactCandidates(name)[0] ?? name;
}
