// The `auto` engine: the native binary for this platform when it starts, the wasm build when it
// cannot. "Cannot start" is decided by the first answer: until the native engine has answered
// once, a spawn failure (missing file, exec format error for a wrong architecture, EACCES on a
// file without its exec bit or a noexec mount) or an exit before answering moves every request,
// the failed ones included, to the wasm engine for good. Nothing was evaluated natively yet, so
// no handle is lost. After the first answer, failures are reported as they are (crash, timeout).
import { isCueEngineError } from "./errors.ts";
import type { EngineTransport } from "./transport.ts";

export interface FallbackTransportOptions {
  readonly primary: EngineTransport;
  /** Created on the first fallback only. */
  readonly fallback: () => EngineTransport;
  /** Told once, with the reason, when the fallback takes over. */
  readonly onFallback?: ((reason: string) => void) | undefined;
}

export class FallbackTransport implements EngineTransport {
  private current: EngineTransport;
  private answered = false;
  private switched = false;
  private readonly options: FallbackTransportOptions;

  constructor(options: FallbackTransportOptions) {
    this.options = options;
    this.current = options.primary;
  }

  get kind(): "native" | "wasm" {
    return this.current.kind;
  }

  get generation(): number {
    return this.current.generation;
  }

  get pid(): number | undefined {
    return this.current.pid;
  }

  async send(id: number, line: string, generation?: number): Promise<string> {
    if (this.answered || this.switched) return this.current.send(id, line, generation);
    try {
      const answer = await this.options.primary.send(id, line, generation);
      this.answered = true;
      return answer;
    } catch (error) {
      if (this.answered || !startFailure(error)) throw error;
      this.switchToFallback(shortReason(error as Error));
      return this.current.send(id, line);
    }
  }

  abandon(id: number, restart: boolean): void {
    this.current.abandon(id, restart);
  }

  async close(): Promise<void> {
    await Promise.all([this.options.primary.close(), this.switched ? this.current.close() : undefined]);
  }

  private switchToFallback(reason: string): void {
    if (this.switched) return;
    this.switched = true;
    this.current = this.options.fallback();
    void this.options.primary.close();
    this.options.onFallback?.(reason);
  }
}

/**
 * The reason without the stderr tail a crash message carries: a binary for another platform that
 * the OS hands to /bin/sh (as it does on ENOEXEC) leaves lines of binary garbage there.
 */
function shortReason(error: Error): string {
  return isCueEngineError(error, "EngineCrashed") ? (error.message.split(": ")[0] ?? "") : error.message;
}

function startFailure(error: unknown): boolean {
  return isCueEngineError(error, "EngineUnavailable") || isCueEngineError(error, "EngineCrashed");
}
