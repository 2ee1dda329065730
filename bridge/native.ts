// The native engine: bridge/dist/cue-engine as a child process speaking NDJSON on stdio.
// Spawned on the first request, reused, and spawned again after it dies. The child is unref'd
// while idle so it never keeps Node alive, and it exits by itself when its stdin closes.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { CueEngineError, staleHandle } from "./errors.ts";
import { type EngineTransport, type PendingRequest, responseId } from "./transport.ts";

export interface NativeTransportOptions {
  readonly binary: string;
  readonly args: readonly string[];
  /** The child's whole environment; undefined inherits the parent's. */
  readonly env: Readonly<Record<string, string>> | undefined;
}

const STDERR_TAIL_CHARS = 2000;
const CLOSE_GRACE_MS = 1000;

interface RefCounted {
  ref?(): void;
  unref?(): void;
}

export class NativeTransport implements EngineTransport {
  readonly kind = "native";
  generation = 0;
  private child: ChildProcessWithoutNullStreams | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly pending = new Map<number, PendingRequest>();
  private stdoutBuffer = "";
  private stderrTail = "";
  private closed = false;
  private readonly options: NativeTransportOptions;

  constructor(options: NativeTransportOptions) {
    this.options = options;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  send(id: number, line: string, generation?: number): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      if (this.closed) {
        reject(new CueEngineError({ code: "Closed", message: "the CUE engine is closed" }));
        return;
      }
      let child: ChildProcessWithoutNullStreams;
      try {
        child = this.ensureStarted();
      } catch (error) {
        reject(error as Error);
        return;
      }
      if (generation !== undefined && generation !== this.generation) {
        reject(staleHandle());
        return;
      }
      this.pending.set(id, { resolve, reject });
      this.updateRef();
      child.stdin.write(line + "\n");
    });
  }

  abandon(id: number, restart: boolean): void {
    this.pending.delete(id);
    this.updateRef();
    // The engine handles one request at a time: one that overran its timeout blocks all others.
    if (restart) this.child?.kill("SIGKILL");
  }

  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    const busy = this.pending.size > 0;
    this.rejectAll(new CueEngineError({ code: "Closed", message: "the CUE engine was closed" }));
    if (child === undefined) return;
    child.stdin.end(); // the engine exits on end of input...
    // ...once it has finished its current request, which nobody waits for any more.
    if (busy) child.kill("SIGKILL");
    const timer = setTimeout(() => child.kill("SIGKILL"), CLOSE_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  private ensureStarted(): ChildProcessWithoutNullStreams {
    if (this.child !== undefined) return this.child;
    const { binary, args, env } = this.options;
    if (!existsSync(binary)) {
      throw new CueEngineError({
        code: "EngineUnavailable",
        message: `the native CUE engine is missing at ${binary}; run \`npm run build:engine\` (needs Go)`,
      });
    }
    const child = spawn(binary, args, { stdio: ["pipe", "pipe", "pipe"], env, windowsHide: true });
    this.child = child;
    this.generation++;
    this.stdoutBuffer = "";
    this.stderrTail = "";
    this.exited = new Promise<void>((resolve) => {
      child.once("close", (code, signal) => {
        this.onExit(child, code, signal);
        resolve();
      });
    });
    child.once("error", (error) => {
      // Spawn failures (e.g. not executable) arrive here; the exit handler still runs.
      this.rejectAll(new CueEngineError({ code: "EngineUnavailable", message: error.message, cause: error }));
    });
    child.stdin.on("error", () => {
      // EPIPE after the child died: reported by the exit handler instead.
    });
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => this.onStdout(chunk));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    this.updateRef();
    return child;
  }

  private onStdout(chunk: string): void {
    this.stdoutBuffer += chunk;
    let newline: number;
    while ((newline = this.stdoutBuffer.indexOf("\n")) >= 0) {
      const line = this.stdoutBuffer.slice(0, newline);
      this.stdoutBuffer = this.stdoutBuffer.slice(newline + 1);
      const id = responseId(line);
      const request = id === undefined ? undefined : this.pending.get(id);
      if (id === undefined || request === undefined) continue; // late answer to an abandoned request
      this.pending.delete(id);
      this.updateRef();
      request.resolve(line);
    }
  }

  private onExit(
    child: ChildProcessWithoutNullStreams,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): void {
    if (this.child !== child) return;
    this.child = undefined;
    const how = signal === null ? `exit code ${code}` : `signal ${signal}`;
    const stderr = this.stderrTail.trim();
    this.rejectAll(
      new CueEngineError({
        code: this.closed ? "Closed" : "EngineCrashed",
        message: `the CUE engine (pid ${child.pid}) stopped with ${how}${stderr === "" ? "" : `: ${stderr}`}`,
      }),
    );
  }

  private rejectAll(error: CueEngineError): void {
    const requests = [...this.pending.values()];
    this.pending.clear();
    this.updateRef();
    for (const request of requests) request.reject(error);
  }

  /** Keep Node alive only while an answer is awaited. */
  private updateRef(): void {
    const child = this.child;
    if (child === undefined) return;
    const method = this.pending.size > 0 ? "ref" : "unref";
    child[method]();
    for (const stream of [child.stdin, child.stdout, child.stderr] as RefCounted[]) stream[method]?.();
  }
}
