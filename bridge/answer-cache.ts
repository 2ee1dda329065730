// Engine answers remembered by content. The engine is deterministic: the same requests, in the
// same order, against the same files, catalog and engine build, get the same answers (handles
// included, since the engine numbers them in order). So a run can be served from answers an
// earlier run stored, and the engine never starts while every request is one asked before.
//
// Each request is keyed by everything before it: key(n) = sha256(key(n-1), request n without its
// id, and for a load the digest of the files it reads), key(0) naming the engine build, catalog
// and settings (EngineAnswerCache.identity plus the engine's arguments). At the first request
// not in the cache the engine starts, is sent every request answered so far (so its handles are
// the ones already handed out), and from then on answers everything; its answers are stored.
// Only successful answers are stored: errors, crashes and timeouts always come from an engine.
import { createHash } from "node:crypto";
import { staleHandle } from "./errors.ts";
import type { EngineTransport } from "./transport.ts";

/**
 * Storage and file digests for remembered engine answers (`CueEngineOptions.cache`), provided by
 * the host: the bridge itself reads no files for it.
 */
export interface EngineAnswerCache {
  /**
   * Everything outside the requests that decides the answers: the engine build, the catalog's
   * content, the environment the engine reads. A different identity shares no answers.
   */
  readonly identity: string;
  /**
   * A digest of every file a load of `dir` can read (the files of its CUE module, and the registry
   * configuration `registry` names), or undefined when such a load must not be cached.
   */
  digestLoad(dir: string, registry: string | undefined): Promise<string | undefined>;
  /** The answer stored under `key`, or undefined. */
  get(key: string): Promise<string | undefined>;
  /** Stores an answer; a failure to store is the cache's own business, never the request's. */
  put(key: string, answer: string): void;
}

/** A stored answer is the engine's line after its id: `{"id":7,` + this. */
const ANSWER = /^\{"id":-?\d+,(?="result":)/;

interface Sent {
  readonly id: number;
  readonly line: string;
}

export class CachingTransport implements EngineTransport {
  private readonly inner: EngineTransport;
  private readonly cache: EngineAnswerCache;
  private chain: string;
  /** Set at the first request that cannot be cached: no request after it can be either. */
  private uncacheable = false;
  private live = false;
  /** Requests answered from the cache, to be replayed if the engine has to start. */
  private readonly answered: Sent[] = [];
  /** Decisions (cache or engine) are taken one request at a time, in the order requests came. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(inner: EngineTransport, cache: EngineAnswerCache, engineArgs: readonly string[]) {
    this.inner = inner;
    this.cache = cache;
    this.chain = digest(["opm-engine-answers/1", cache.identity, ...engineArgs]);
  }

  get kind(): "native" | "wasm" {
    return this.inner.kind;
  }

  /** Answers from the cache belong to the engine that would have given them: the first one. */
  get generation(): number {
    return this.live ? this.inner.generation : 1;
  }

  get pid(): number | undefined {
    return this.inner.pid;
  }

  send(id: number, line: string, generation?: number): Promise<string> {
    if (!this.live && generation !== undefined && generation !== 1) return Promise.reject(staleHandle());
    const answer = this.queue.then(() => this.decide(id, line, generation));
    // The next request waits for this one's decision only, not for the engine's answer.
    this.queue = answer.then(
      () => undefined,
      () => undefined,
    );
    return answer.then((a) => a.answer);
  }

  abandon(id: number, restart: boolean): void {
    if (this.live) this.inner.abandon(id, restart);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Resolves once the request is answered from the cache or handed to the engine. */
  private async decide(id: number, line: string, generation?: number): Promise<{ answer: Promise<string> }> {
    const key = await this.keyOf(line);
    if (!this.live && key !== undefined) {
      const stored = await this.cache.get(key);
      if (stored !== undefined) {
        this.answered.push({ id, line });
        return { answer: Promise.resolve(`{"id":${id},${stored}`) };
      }
    }
    if (!this.live) {
      this.live = true;
      // The engine rebuilds the state the cached answers describe. Their answers were given
      // already; a replay that fails leaves the handles unknown, which later requests report.
      for (const earlier of this.answered.splice(0)) {
        void this.inner.send(earlier.id, earlier.line).catch(() => undefined);
      }
    }
    const answer = this.inner.send(id, line, generation);
    if (key !== undefined) {
      void answer.then(
        (text) => {
          if (ANSWER.test(text)) this.cache.put(key, text.replace(ANSWER, ""));
        },
        () => undefined,
      );
    }
    return { answer };
  }

  /** The request's key, or undefined when its answer must not be reused (then nothing after it is). */
  private async keyOf(line: string): Promise<string | undefined> {
    if (this.uncacheable) return undefined;
    const parts = [this.chain];
    try {
      const { id: _id, ...request } = JSON.parse(line) as {
        id?: unknown;
        method?: unknown;
        params?: { dir?: unknown; registry?: unknown };
      };
      parts.push(JSON.stringify(request));
      if (request.method === "load" || request.method === "loadModule") {
        const { dir, registry } = request.params ?? {};
        const files =
          typeof dir === "string"
            ? await this.cache.digestLoad(dir, typeof registry === "string" ? registry : undefined)
            : undefined;
        if (files === undefined) throw new Error("a load of files without a digest");
        parts.push(files);
      }
    } catch {
      this.uncacheable = true;
      return undefined;
    }
    this.chain = digest(parts);
    return this.chain;
  }
}

function digest(parts: readonly string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest("hex");
}
