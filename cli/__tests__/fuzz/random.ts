// A small seeded generator for the fuzz suite: the same seed gives the same inputs on every
// machine, so a failure is reproduced by its seed alone (Math.random could not do that).

/** mulberry32: 32 bits of state, good enough to spread test inputs, fast, and portable. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.int(0, 255);
    return out;
  }

  /** A short identifier-like word (lower-case letters and digits, starting with a letter). */
  word(min = 3, max = 10): string {
    const letters = "abcdefghijklmnopqrstuvwxyz";
    let text = letters[this.int(0, 25)]!;
    const length = this.int(min, max);
    while (text.length < length) text += (letters + "0123456789")[this.int(0, 35)]!;
    return text;
  }
}

/** A seed from OPM_FUZZ_SEED (a number), else the fixed default so CI runs are reproducible. */
export function seedFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  if (value === "random") return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(value);
  if (!Number.isInteger(seed)) throw new Error(`OPM_FUZZ_SEED must be an integer or "random", got ${value}`);
  return seed;
}
