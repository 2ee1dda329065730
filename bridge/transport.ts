// How the client reaches an engine: the native child process or the in-process wasm instance.
// Both carry the same protocol lines; the client above them adds ids, timeouts and handles.

export interface EngineTransport {
  readonly kind: "native" | "wasm";
  /**
   * Bumped each time a fresh engine starts. Handles live inside one engine, so a value made in
   * an earlier generation is gone.
   */
  readonly generation: number;
  /** Process id of the native engine while it runs (undefined for wasm or when not started). */
  readonly pid: number | undefined;
  /**
   * Sends one request line and resolves with its response line. Starts the engine if needed.
   * When `generation` is given and a different engine would answer, rejects with
   * HandleInvalidated. Rejects with a CueEngineError for process and transport failures.
   */
  send(id: number, line: string, generation?: number): Promise<string>;
  /** Stop waiting for `id`; when `restart` is set, also replace the busy engine (after a timeout). */
  abandon(id: number, restart: boolean): void;
  /** Stops the engine; pending requests reject with Closed. Safe to call twice. */
  close(): Promise<void>;
}

/** The settled-once callbacks of one request in flight. */
export interface PendingRequest {
  resolve(line: string): void;
  reject(error: Error): void;
}

/** Reads the id of a response line without parsing it all (the engine writes "id" first). */
export function responseId(line: string): number | undefined {
  const match = /^\{"id":(-?\d+)/.exec(line);
  if (match?.[1] !== undefined) return Number(match[1]);
  try {
    const parsed = JSON.parse(line) as { id?: unknown };
    return typeof parsed.id === "number" ? parsed.id : undefined;
  } catch {
    return undefined;
  }
}
