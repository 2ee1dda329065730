// The files behind stored CUE engine answers (answer-store.ts): owner-only, written whole, and
// bounded: a sweep removes the least recently used answers (reading one counts as using it) when
// the store is over its size or count, at most once per interval and only in a run that writes.
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../__tests__/run.ts";
import { ANSWER_STORE_BOUNDS, answerStore, sweepAnswers, type AnswerStoreBounds } from "./answer-store.ts";

const key = (n: number) => `${(n % 4).toString(16).padStart(2, "0")}${"ab".repeat(31)}${n}`;
const fileOf = (dir: string, k: string) => join(dir, k.slice(0, 2), k);
const mode = (path: string) => statSync(path).mode & 0o777;

/** Every stored answer's key, sorted. */
function keys(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((sub) => sub.isDirectory())
    .flatMap((sub) => readdirSync(join(dir, sub.name)))
    .sort();
}

/** Stores answers `0..count-1`, answer n last used n minutes after an hour ago. */
function seeded(count: number, size = 10): string {
  const dir = join(tempDir("opm-answer-store-"), "cue-answers");
  const store = answerStore(dir, { ...ANSWER_STORE_BOUNDS, sweepEveryMs: Number.MAX_SAFE_INTEGER });
  const hourAgo = Date.now() - 3_600_000;
  for (let n = 0; n < count; n++) {
    store.write(key(n), "x".repeat(size));
    const used = new Date(hourAgo + n * 60_000);
    utimesSync(fileOf(dir, key(n)), used, used);
  }
  // The seeding store's sweep marker: make the next store's sweep due.
  utimesSync(join(dir, ".swept"), new Date(0), new Date(0));
  return dir;
}

const bounds = (b: Partial<AnswerStoreBounds>): AnswerStoreBounds => ({
  ...ANSWER_STORE_BOUNDS,
  sweepEveryMs: 0,
  ...b,
});

describe("the answer store", () => {
  it("writes owner-only files and directories, and makes an older open store owner-only", () => {
    const dir = join(tempDir("opm-answer-store-"), "cue-answers");
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const store = answerStore(dir);
    store.write(key(1), '"result":{}}');
    expect(store.read(key(1))).toBe('"result":{}}');
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, key(1).slice(0, 2)))).toBe(0o700);
    expect(mode(fileOf(dir, key(1)))).toBe(0o600);
    expect(store.read(key(2))).toBeUndefined();
  });

  it("marks an answer used when it is read", () => {
    const dir = seeded(1);
    const before = statSync(fileOf(dir, key(0))).mtimeMs;
    expect(answerStore(dir).read(key(0))).toBe("x".repeat(10));
    const after = statSync(fileOf(dir, key(0))).mtimeMs;
    expect(after - before).toBeGreaterThan(50 * 60_000);
  });

  it("over its count, removes the least recently used answers down to 80% before writing", () => {
    const dir = seeded(8);
    // Answer 1 is read now: the most recently used of the eight.
    expect(answerStore(dir).read(key(1))).toBeDefined();
    answerStore(dir, bounds({ files: 5 })).write(key(8), "new");
    // 8 were over 5: the four least recently used (0, 2, 3, 4) went, leaving 4 (80%), then 8 came.
    expect(keys(dir)).toEqual([1, 5, 6, 7, 8].map(key).sort());
  });

  it("over its size, removes the least recently used answers down to 80%", () => {
    const dir = seeded(10, 100);
    answerStore(dir, bounds({ bytes: 700 })).write(key(10), "y".repeat(100));
    // 1000 bytes were over 700: removed until at most 560 remained (the five newest), then 10 came.
    expect(keys(dir)).toEqual([5, 6, 7, 8, 9, 10].map(key).sort());
  });

  it("sweeps at most once per interval, and never when only reading", () => {
    const dir = seeded(8);
    const small = { files: 2, sweepEveryMs: 60_000 };
    for (let n = 0; n < 8; n++) answerStore(dir, bounds(small)).read(key(n));
    expect(keys(dir)).toHaveLength(8);
    answerStore(dir, bounds(small)).write(key(8), "a");
    expect(keys(dir)).toHaveLength(2);
    // The sweep is not due again yet: the store may grow past its bound until it is.
    answerStore(dir, bounds(small)).write(key(9), "b");
    answerStore(dir, bounds(small)).write(key(10), "c");
    expect(keys(dir)).toHaveLength(4);
  });

  it("removes what a crashed writer left long ago, not what one writes now", () => {
    const dir = seeded(1);
    const old = `${fileOf(dir, key(0))}.123.partial`;
    const fresh = `${fileOf(dir, key(0))}.456.partial`;
    writeFileSync(old, "half");
    writeFileSync(fresh, "half");
    utimesSync(old, new Date(Date.now() - 2 * 3_600_000), new Date(Date.now() - 2 * 3_600_000));
    sweepAnswers(dir, ANSWER_STORE_BOUNDS, Date.now());
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(fileOf(dir, key(0)))).toBe(true);
  });

  it("never throws when it cannot write, and leaves nothing half-written", () => {
    const parent = tempDir("opm-answer-store-");
    writeFileSync(join(parent, "cue-answers"), "a file where the store should be");
    const store = answerStore(join(parent, "cue-answers"));
    expect(() => store.write(key(1), "answer")).not.toThrow();
    expect(store.read(key(1))).toBeUndefined();
    expect(readdirSync(parent)).toEqual(["cue-answers"]);
  });
});
