// A CUE value held by the engine. The TS side only keeps its handle: the value itself stays in
// the engine until released (explicitly, since the engine cannot see JS garbage collection).

const VALUE_BRAND = Symbol.for("opm.CueValue");

/**
 * A CUE value kept on the engine side, referred to by its handle. Engine requests take and give
 * these; release each when done (`value.release()` or `engine.release(...)`), since the engine
 * cannot see JS garbage collection. A value from before an engine restart is invalid.
 */
export class CueValue {
  /** The engine's handle for the value; meaningful only to the engine generation that made it. */
  readonly handle: number;
  /** The engine generation the handle belongs to (see EngineTransport.generation). */
  readonly generation: number;
  private isReleased = false;
  private readonly releaser: (value: CueValue) => Promise<void>;

  /** @internal created by the engine client only */
  constructor(handle: number, generation: number, releaser: (value: CueValue) => Promise<void>) {
    this.handle = handle;
    this.generation = generation;
    this.releaser = releaser;
    Object.defineProperty(this, VALUE_BRAND, { value: true });
  }

  /** True once released: the value can no longer be used in requests. */
  get released(): boolean {
    return this.isReleased;
  }

  /** Frees the engine-side value. Safe to call twice. */
  async release(): Promise<void> {
    if (this.isReleased) return;
    this.isReleased = true;
    await this.releaser(this);
  }

  /**
   * Records that the engine side is gone already (`engine.release` freed it in one request).
   * @internal
   */
  markReleased(): void {
    this.isReleased = true;
  }
}

/** True for a CueValue, also one made by another copy of this package. */
export function isCueValue(x: unknown): x is CueValue {
  return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[VALUE_BRAND] === true;
}
