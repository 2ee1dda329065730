// createCueEngine: picks and configures the engine build. Nothing starts until the first request.
import { EngineClient } from "./client.ts";
import type { CueEngine, CueEngineOptions, EngineKind } from "./engine.ts";
import { NATIVE_BINARY, WASM_EXEC, WASM_MODULE, artefactCandidates, findArtefact } from "./locate.ts";
import { NativeTransport } from "./native.ts";
import { WasmTransport } from "./wasm.ts";

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MEMORY_LIMIT_MB = 2048;

/**
 * Creates a CUE engine owned by the caller, who must `close()` it.
 *
 * Example:
 *   const engine = createCueEngine({ cueRegistry: "127.0.0.1:5000+insecure" });
 *   try { const v = await engine.compile("a: 1"); await engine.export(v); } finally { await engine.close(); }
 */
export function createCueEngine(options: CueEngineOptions = {}): CueEngine {
  const kind = chooseKind(options);
  const args = [`-memory-limit-mb=${options.memoryLimitMB ?? DEFAULT_MEMORY_LIMIT_MB}`];
  // Registry and cache go in as flags, so the environment can stay inherited (native) as is.
  if (options.cueRegistry !== undefined) args.push(`-registry=${options.cueRegistry}`);
  if (options.cacheDir !== undefined) args.push(`-cache-dir=${options.cacheDir}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (kind === "native") {
    const binary = options.nativeBinary ?? findArtefact(NATIVE_BINARY) ?? firstCandidate(NATIVE_BINARY);
    // Without options.env the child inherits our environment; a given env replaces it entirely.
    return new EngineClient(new NativeTransport({ binary, args, env: options.env }), timeoutMs);
  }
  const transport = new WasmTransport({
    wasmFile: options.wasmFile ?? findArtefact(WASM_MODULE) ?? firstCandidate(WASM_MODULE),
    wasmExecFile: options.wasmExecFile ?? findArtefact(WASM_EXEC) ?? firstCandidate(WASM_EXEC),
    args,
    env: { ...options.env },
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    fileSystem: options.fileSystem ?? true,
  });
  return new EngineClient(transport, timeoutMs);
}

function chooseKind(options: CueEngineOptions): EngineKind {
  const wanted = options.engine ?? "auto";
  if (wanted !== "auto") return wanted;
  return (options.nativeBinary ?? findArtefact(NATIVE_BINARY)) !== undefined ? "native" : "wasm";
}

function firstCandidate(name: string): string {
  return artefactCandidates(name)[0] ?? name;
}
