// A CUE value held by the engine. The TS side only keeps its handle: the value itself stays in
// the engine until released (explicitly, since the engine cannot see JS garbage collection).

const VALUE_BRAND = Symbol.for("opm.CueValue");

export class CueValue {
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

  get released(): boolean {
    return this.isReleased;
  }

  /** Frees the engine-side value. Safe to call twice. */
  async release(): Promise<void> {
    if (this.isReleased) return;
    this.isReleased = true;
    await this.releaser(this);
  }

  /** @internal */
  markReleased(): void {
    this.isReleased = true;
  }
}

export function isCueValue(x: unknown): x is CueValue {
  return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[VALUE_BRAND] === true;
}
