// The wasm engine: the same Go program built with GOOS=js, run inside this Node process.
// Go's net/http cannot reach the network under Node, so registry traffic is handed to the host's
// fetch through a JS callback; files are read through Node's fs (which Go's js port expects as
// globalThis.fs) or passed as an overlay. Evaluation runs on the JS thread: a timeout can only
// fire once the running request yields, and a busy wasm engine cannot be interrupted.
import * as nodeFs from "node:fs";
import { readFile } from "node:fs/promises";
import * as nodePath from "node:path";
import { runInThisContext } from "node:vm";
import { randomUUID } from "node:crypto";
import { CueEngineError, staleHandle } from "./errors.ts";
import { type EngineTransport, type PendingRequest, responseId } from "./transport.ts";

/**
 * How the wasm engine reaches registries: a `fetch` with the standard signature (the wasm build has
 * no network of its own).
 */
export type HostFetch = (input: string, init: RequestInit) => Promise<Response>;

export interface WasmTransportOptions {
  readonly wasmFile: string;
  readonly wasmExecFile: string;
  readonly args: readonly string[];
  /** Go's environment inside wasm; keep it small (Go limits argv + env to ~8 KB). */
  readonly env: Readonly<Record<string, string>>;
  readonly fetch: HostFetch;
  /** Let Go read and write real files (module directories, the module cache). */
  readonly fileSystem: boolean;
}

// The slice of the WebAssembly API used here (the project's lib has no DOM types).
type WasmModule = object;
type WasmInstance = object;
interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: object): Promise<WasmInstance>;
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

interface GoInstance {
  argv: string[];
  env: Record<string, string>;
  exit: (code: number) => void;
  importObject: object;
  run(instance: WasmInstance): Promise<void>;
}
type GoConstructor = new () => GoInstance;
type EngineFunction = (line: string) => Promise<string>;

interface RunningEngine {
  readonly call: EngineFunction;
  readonly stop: () => void;
}

type HostGlobals = Record<string, unknown>;

export class WasmTransport implements EngineTransport {
  readonly kind = "wasm";
  readonly pid = undefined;
  generation = 0;
  private running: Promise<RunningEngine> | undefined;
  private compiled: Promise<WasmModule> | undefined;
  private readonly pending = new Map<number, PendingRequest>();
  private closed = false;
  private readonly options: WasmTransportOptions;

  constructor(options: WasmTransportOptions) {
    this.options = options;
  }

  send(id: number, line: string, generation?: number): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      if (this.closed) {
        reject(new CueEngineError({ code: "Closed", message: "the CUE engine is closed" }));
        return;
      }
      this.running ??= this.start();
      const startedIn = this.running;
      startedIn.then(
        (engine) => {
          if (this.closed)
            return reject(new CueEngineError({ code: "Closed", message: "the CUE engine is closed" }));
          if (generation !== undefined && generation !== this.generation) return reject(staleHandle());
          this.pending.set(id, { resolve, reject });
          engine.call(line).then(
            (answer) => this.settle(answer),
            (error: unknown) => this.fail(id, error),
          );
        },
        (error: unknown) => {
          if (this.running === startedIn) this.running = undefined; // let a later request retry
          reject(error as Error);
        },
      );
    });
  }

  abandon(id: number): void {
    this.pending.delete(id);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.rejectAll(new CueEngineError({ code: "Closed", message: "the CUE engine was closed" }));
    const running = this.running;
    this.running = undefined;
    if (running === undefined) return;
    try {
      (await running).stop();
    } catch {
      // it never started; nothing to stop
    }
  }

  private settle(answer: string): void {
    const id = responseId(answer);
    const request = id === undefined ? undefined : this.pending.get(id);
    if (id === undefined || request === undefined) return;
    this.pending.delete(id);
    request.resolve(answer);
  }

  private fail(id: number, error: unknown): void {
    const request = this.pending.get(id);
    this.pending.delete(id);
    request?.reject(new CueEngineError({ code: "EngineCrashed", message: String(error), cause: error }));
  }

  private rejectAll(error: CueEngineError): void {
    const requests = [...this.pending.values()];
    this.pending.clear();
    for (const request of requests) request.reject(error);
  }

  private async start(): Promise<RunningEngine> {
    const { wasmFile, wasmExecFile } = this.options;
    if (!nodeFs.existsSync(wasmFile) || !nodeFs.existsSync(wasmExecFile)) {
      throw new CueEngineError({
        code: "EngineUnavailable",
        message: `the wasm CUE engine is missing at ${wasmFile}; run \`npm run build:engine\` (needs Go)`,
      });
    }
    const Go = await loadGoRuntime(wasmExecFile, this.options.fileSystem);
    this.compiled ??= readFile(wasmFile).then((bytes) => webAssembly.compile(bytes));
    const module = await this.compiled;

    // Unique global names, so several engines can share one JS realm.
    const name = `__opmCueEngine_${randomUUID().replaceAll("-", "")}`;
    const fetchName = `${name}_fetch`;
    const host = globalThis as unknown as HostGlobals;
    host[fetchName] = hostFetch(this.options.fetch);

    const go = new Go();
    go.argv = ["cue-engine", `-name=${name}`, `-fetch=${fetchName}`, ...this.options.args];
    go.env = { ...this.options.env };
    let exitCode = 0;
    go.exit = (code) => {
      exitCode = code;
    };
    const instance = await webAssembly.instantiate(module, go.importObject);
    const generation = ++this.generation;
    const finished = go.run(instance);
    const call = host[name] as EngineFunction | undefined;
    const stop = host[`${name}_exit`] as (() => void) | undefined;
    if (call === undefined || stop === undefined) {
      throw new CueEngineError({
        code: "EngineUnavailable",
        message: "the wasm CUE engine did not register itself",
      });
    }
    void finished.then(() => {
      delete host[fetchName];
      if (this.closed || this.generation !== generation) return;
      // Exited without being asked to: a Go panic or fatal error. Start afresh next time.
      this.running = undefined;
      this.rejectAll(
        new CueEngineError({
          code: "EngineCrashed",
          message: `the wasm CUE engine exited with code ${exitCode}`,
        }),
      );
    });
    return { call, stop };
  }
}

/** Loads Go's wasm_exec.js once per realm (it defines globalThis.Go). */
async function loadGoRuntime(wasmExecFile: string, fileSystem: boolean): Promise<GoConstructor> {
  const host = globalThis as unknown as HostGlobals;
  // Go's js port does its file IO through globalThis.fs; wasm_exec.js installs a stub that can
  // only write to the console when none is there. Node's fs gives Go real files.
  if (
    fileSystem &&
    (host["fs"] === undefined || typeof (host["fs"] as { statSync?: unknown }).statSync !== "function")
  ) {
    host["fs"] = nodeFs;
    host["path"] ??= nodePath;
  }
  // A plain script that defines globalThis.Go; run as one, so that no dynamic import() is needed
  // (the CLI's start-up bundle is CommonJS code compiled with a V8 code cache, cli/start/).
  if (host["Go"] === undefined)
    runInThisContext(await readFile(wasmExecFile, "utf8"), { filename: wasmExecFile });
  return host["Go"] as GoConstructor;
}

/** The HTTP callback the engine's Go transport calls (see bridge/go/transport_js.go). */
function hostFetch(fetchImpl: HostFetch) {
  return async (method: string, url: string, headers: [string, string][], body: Uint8Array | null) => {
    const init: RequestInit = { method, headers };
    if (body !== null) init.body = body;
    let response: Response;
    try {
      response = await fetchImpl(url, init);
    } catch (error) {
      // Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, ...) is in its cause.
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      throw new Error(`${(error as Error).message}${cause === undefined ? "" : `: ${cause}`}`, {
        cause: error,
      });
    }
    return {
      status: response.status,
      headers: [...response.headers.entries()],
      body: new Uint8Array(await response.arrayBuffer()),
    };
  };
}
