// Runs a TypeScript module's code (loading the module and `.ts` values files, rendering) in a
// worker thread (worker.ts), each request under a time bound. Code that loops forever or never
// settles is stopped by terminating the thread; code that calls process.exit or throws from a
// timer ends only the thread. Each of these becomes a coded error naming the file and the step,
// and the CLI goes on to report it: module code can no longer hang or silently end the CLI.
// What the module prints goes to the CLI's stderr, so it never mixes into manifests on stdout.
import type { Worker } from "node:worker_threads";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { OpmError } from "../../sdk/errors.ts";
import { takeAdoptedWorker } from "./prestarted.ts";
import { selfPackage } from "./self.ts";
import {
  errorOf,
  outcomeOf,
  type Env,
  type RenderJob,
  type RenderOutcome,
  type WorkerReply,
  type WorkerRequest,
  type WorkerStarted,
} from "./worker-protocol.ts";
import { startModuleWorker, type StartedWorker } from "./worker-start.ts";
import type { ModuleMetadata } from "../../sdk/index.ts";

/** Module code gets this long per step unless --module-timeout or OPM_MODULE_TIMEOUT says otherwise. */
export const DEFAULT_MODULE_TIMEOUT_MS = 30_000;
const STARTING = "starting the module worker";
/** The least time the worker gets to start (load our code) and to bundle a file: no module code runs then. */
const STARTUP_BOUND_MS = 60_000;

export interface ModuleRunnerOptions {
  readonly env: Env;
  /** How long one step (loading the module, a values file, rendering) may take. */
  readonly timeoutMs: number;
  /** Where the module's own output (console.log, process.stdout) goes. */
  readonly output: NodeJS.WritableStream;
}

/** Where the worker's code is, for the way this CLI runs. */
function workerEntry(): URL {
  const self = selfPackage();
  const file =
    self.mode === "bundle"
      ? // CommonJS, started from a code cache (cli/start/module-worker.ts).
        join(self.root, "dist", "opm", "module-worker.cjs")
      : self.mode === "dist"
        ? join(self.root, "dist", "cli", "module", "worker.js")
        : // From sources (tests, tsx): the worker compiles our TypeScript with tsx's loader.
          join(self.root, "cli", "module", "worker-source.mjs");
  return pathToFileURL(file);
}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

let idle: Worker | undefined;
let reuse = false;

/**
 * Keep a healthy worker for the next run in this process instead of ending it (in-process test
 * runs, which would otherwise start one per command). A worker that was stopped, crashed or
 * exited is never reused.
 */
export function reuseModuleWorkers(on: boolean): void {
  reuse = on;
  if (!on && idle !== undefined) {
    void idle.terminate();
    idle = undefined;
  }
}

function startWorker(env: Env): StartedWorker {
  const started = startModuleWorker(workerEntry(), env);
  const { worker } = started;
  // One that dies while idle leaves the pool.
  worker.once("exit", () => {
    if (idle === worker) idle = undefined;
  });
  return started;
}

/** One command's use of a module worker: requests in order, each bounded in time. */
export class ModuleRunner {
  private readonly worker: Worker;
  private readonly options: ModuleRunnerOptions;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Why the worker cannot answer any more (it exited or was stopped); undefined while healthy. */
  private broken: OpmError | undefined;
  /** What the current request is doing, for the messages of failures. */
  private step = "starting";
  /** The worker writes its code cache when it is ended (its first start after a build). */
  private codeCacheToWrite = false;
  private readonly forward = (chunk: Buffer) => this.options.output.write(chunk);

  private constructor(worker: Worker, options: ModuleRunnerOptions) {
    this.worker = worker;
    this.options = options;
    worker.ref();
    worker.stdout.on("data", this.forward);
    worker.stderr.on("data", this.forward);
    worker.on("message", this.onMessage);
    worker.on("error", this.onError);
    worker.on("exit", this.onExit);
  }

  static async open(options: ModuleRunnerOptions): Promise<ModuleRunner> {
    const warm = idle;
    idle = undefined;
    const adopted = takeAdoptedWorker();
    const fresh = warm === undefined ? (adopted ?? startWorker(options.env)) : undefined;
    const runner = new ModuleRunner(warm ?? fresh!.worker, options);
    // A fresh worker says when it listens. Its start-up runs none of the module's code, so it
    // gets a bound of its own that a short --module-timeout does not cut (a busy machine).
    if (fresh !== undefined) {
      const listening = runner.expect(0, STARTING, runner.startupBoundMs());
      fresh.ready.then(
        () => runner.onMessage({ id: 0, ok: true, value: undefined }),
        (error: unknown) => runner.onError(error),
      );
      await listening;
    }
    const started = (await runner.request({ kind: "begin", env: options.env }, "starting")) as WorkerStarted;
    runner.codeCacheToWrite = started.codeCacheToWrite;
    return runner;
  }

  /** Loads the module; returns its metadata (the module itself stays in the worker). */
  async loadModule(file: string): Promise<ModuleMetadata> {
    await this.compile(file, file);
    return (await this.request({ kind: "load-module", file }, `loading ${file}`)) as ModuleMetadata;
  }

  /** Loads a `.ts` values file; returns its default export, checked to be plain data. */
  async loadValues(file: string, name: string): Promise<unknown> {
    await this.compile(file, name);
    return this.request({ kind: "load-values", file, name }, `loading values file ${name}`);
  }

  /** Bundling runs none of the file's code: it gets the start-up bound, not the module's. */
  private async compile(file: string, name: string): Promise<void> {
    await this.request({ kind: "compile", file }, `compiling ${name}`, this.startupBoundMs());
  }

  private startupBoundMs(): number {
    return Math.max(this.options.timeoutMs, STARTUP_BOUND_MS);
  }

  async render(job: RenderJob, file: string): Promise<RenderOutcome> {
    return outcomeOf(await this.request({ kind: "render", job }, `rendering ${file}`));
  }

  /** Ends the worker, or keeps it for the next run when reuse is on and it is healthy. */
  async close(): Promise<void> {
    if (this.codeCacheToWrite && this.broken === undefined) {
      this.codeCacheToWrite = false;
      // Runs none of the module's code; a failure only means the next start compiles again.
      await this.request({ kind: "finish" }, "writing its code cache", this.startupBoundMs()).catch(
        () => undefined,
      );
    }
    this.worker.stdout.off("data", this.forward);
    this.worker.stderr.off("data", this.forward);
    this.worker.off("message", this.onMessage);
    this.worker.off("error", this.onError);
    this.worker.off("exit", this.onExit);
    if (reuse && this.broken === undefined && idle === undefined) {
      this.worker.unref();
      idle = this.worker;
      return;
    }
    await this.worker.terminate();
  }

  private request(
    body: DistributiveOmit<WorkerRequest, "id">,
    step: string,
    timeoutMs = this.options.timeoutMs,
  ): Promise<unknown> {
    const id = this.nextId++;
    const answer = this.expect(id, step, timeoutMs);
    if (this.broken === undefined) this.worker.postMessage({ id, ...body } as WorkerRequest);
    return answer;
  }

  /** The answer to request `id`, or a coded error when the worker fails or overruns the bound. */
  private expect(id: number, step: string, timeoutMs = this.options.timeoutMs): Promise<unknown> {
    if (this.broken !== undefined) return Promise.reject(this.broken);
    this.step = step;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(
          new OpmError("ModuleTimeout", {
            message: `module code did not finish ${step} within ${seconds(timeoutMs)}; opm stopped it`,
            hint: "look for a loop or a promise that never settles at the top level or in components(); if it only needs longer, raise --module-timeout (or OPM_MODULE_TIMEOUT)",
          }),
        );
        void this.worker.terminate();
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  /** Fails every waiting request with `error`; the worker answers nothing after this. */
  private fail(error: OpmError): void {
    this.broken ??= error;
    for (const [, pending] of this.pending) pending.reject(this.broken);
    this.pending.clear();
  }

  private readonly onMessage = (message: WorkerReply) => {
    const pending = this.pending.get(message.id);
    if (pending === undefined) return;
    this.pending.delete(message.id);
    if (message.ok) pending.resolve(message.value);
    else pending.reject(errorOf(message.error));
  };

  private readonly onError = (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (this.step === STARTING) {
      this.fail(
        new OpmError("Internal", { message: `the module worker did not start: ${message}`, cause: error }),
      );
      return;
    }
    this.fail(
      new OpmError("ModuleCrashed", {
        message: `module code threw while ${this.step}, outside anything opm awaits: ${message}`,
        hint: "a timer or an unawaited promise in the module threw; catch it, or await the work it does",
        cause: error,
      }),
    );
  };

  // The worker's port keeps it alive, so it only exits when code calls process.exit (a promise
  // that never settles runs into the time bound instead).
  private readonly onExit = (code: number) => {
    this.fail(
      new OpmError("ModuleExited", {
        message: `module code ended while ${this.step} (process.exit(${code}))`,
        hint: "module code must not call process.exit; throw an Error to report a problem",
      }),
    );
  };
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
