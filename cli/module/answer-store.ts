// The files behind the CLI's stored CUE engine answers (answer-cache.ts): one file per answer,
// `<dir>/<first two hex digits>/<key>`, owner-only (answers quote the user's configuration),
// each written whole and then renamed. The store is bounded: reading an answer marks it used
// (its modification time), and a run that stores answers first removes the least recently used
// ones while the store holds more than its bounds allow, down to 80% of them. That sweep lists
// the whole store, so it runs at most once per `sweepEveryMs` (a marker file's time), and only
// in a run that writes: a build served from stored answers never lists the store.
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";

export interface AnswerStoreBounds {
  /** Total size of the stored answers. */
  readonly bytes: number;
  /** Number of stored answers. */
  readonly files: number;
  /** The least time between two sweeps of the store. */
  readonly sweepEveryMs: number;
}

/** A build stores a few answers of a few KiB; 64 MiB keeps thousands of builds. */
export const ANSWER_STORE_BOUNDS: AnswerStoreBounds = {
  bytes: 64 << 20,
  files: 10_000,
  sweepEveryMs: 10 * 60_000,
};

const SWEPT = ".swept";
/** What a sweep leaves, as a share of each bound, so the next write does not sweep again. */
const LOW_WATER = 0.8;
/** A `.partial` file this old is what a crashed writer left. */
const ABANDONED_MS = 60 * 60_000;

export interface AnswerStore {
  /** The answer stored under `key` (marked used), or undefined. */
  read(key: string): string | undefined;
  /** Stores an answer; never throws (a store that cannot be written only slows the next run). */
  write(key: string, answer: string): void;
}

export function answerStore(dir: string, bounds: AnswerStoreBounds = ANSWER_STORE_BOUNDS): AnswerStore {
  const fileOf = (key: string) => join(dir, key.slice(0, 2), key);
  let swept = false;
  return {
    read(key) {
      const file = fileOf(key);
      let answer: string;
      try {
        answer = readFileSync(file, "utf8");
      } catch {
        return undefined;
      }
      try {
        const now = new Date();
        utimesSync(file, now, now);
      } catch {
        // Removed meanwhile by another run's sweep: the answer read is still good.
      }
      return answer;
    },
    write(key, answer) {
      const file = fileOf(key);
      const partial = `${file}.${process.pid}.partial`;
      try {
        if (!swept) {
          swept = true;
          mkdirSync(dir, { recursive: true, mode: 0o700 });
          // A store an older opm created with the default mode becomes owner-only too.
          chmodSync(dir, 0o700);
          sweepIfDue(dir, bounds, Date.now());
        }
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        // Written whole, then renamed: a reader never sees half an answer.
        writeFileSync(partial, answer, { mode: 0o600 });
        renameSync(partial, file);
      } catch {
        try {
          rmSync(partial, { force: true });
        } catch {
          // Nothing was written where nothing can be.
        }
      }
    },
  };
}

function sweepIfDue(dir: string, bounds: AnswerStoreBounds, now: number): void {
  const marker = join(dir, SWEPT);
  const last = statSync(marker, { throwIfNoEntry: false })?.mtimeMs;
  if (last !== undefined && now - last < bounds.sweepEveryMs) return;
  writeFileSync(marker, "", { mode: 0o600 });
  const at = new Date(now);
  utimesSync(marker, at, at);
  sweepAnswers(dir, bounds, now);
}

interface Stored {
  readonly file: string;
  readonly bytes: number;
  readonly usedMs: number;
}

/**
 * Removes the least recently used answers while the store in `dir` is over a bound, down to 80%
 * of each, and what crashed writers left behind. Runs of other processes may read or write
 * meanwhile: a file removed under a reader was read already or is read as absent.
 */
export function sweepAnswers(dir: string, bounds: AnswerStoreBounds, now: number): void {
  const stored: Stored[] = [];
  for (const sub of readdirSync(dir, { withFileTypes: true })) {
    if (!sub.isDirectory()) continue;
    for (const name of readdirSync(join(dir, sub.name))) {
      const file = join(dir, sub.name, name);
      const info = statSync(file, { throwIfNoEntry: false });
      if (info === undefined || !info.isFile()) continue;
      if (name.endsWith(".partial")) {
        if (now - info.mtimeMs > ABANDONED_MS) rmSync(file, { force: true });
        continue;
      }
      stored.push({ file, bytes: info.size, usedMs: info.mtimeMs });
    }
  }
  let bytes = stored.reduce((sum, s) => sum + s.bytes, 0);
  let files = stored.length;
  if (bytes <= bounds.bytes && files <= bounds.files) return;
  stored.sort((a, b) => a.usedMs - b.usedMs);
  for (const oldest of stored) {
    if (bytes <= bounds.bytes * LOW_WATER && files <= bounds.files * LOW_WATER) break;
    rmSync(oldest.file, { force: true });
    bytes -= oldest.bytes;
    files -= 1;
  }
}
