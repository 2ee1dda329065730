// The work queue's promises: a bound on handlers running at once, one handler per key at a time
// (a change during a run runs it once more after), retries with growing backoff, and stop()
// waiting for running handlers.
import { describe, expect, it } from "vitest";
import { backoffMs, jitter } from "./backoff.ts";
import { WorkQueue } from "./queue.ts";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("WorkQueue", () => {
  it("never runs more than `concurrency` handlers, and runs every key", async () => {
    let running = 0;
    let peak = 0;
    const done: string[] = [];
    const queue = new WorkQueue({
      concurrency: 3,
      handle: async (key) => {
        running++;
        peak = Math.max(peak, running);
        await tick(20);
        running--;
        done.push(key);
        return {};
      },
    });
    for (let i = 0; i < 10; i++) queue.add(`ns/r${i}`);
    expect(queue.depth).toBe(7);
    await queue.idle();
    expect(peak).toBe(3);
    expect(done.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `ns/r${i}`).sort());
  });

  it("a key added while it runs runs once more afterwards, never concurrently", async () => {
    let concurrent = 0;
    let runs = 0;
    const queue = new WorkQueue({
      concurrency: 4,
      handle: async () => {
        concurrent++;
        expect(concurrent).toBe(1);
        runs++;
        await tick(30);
        concurrent--;
        return {};
      },
    });
    queue.add("ns/a");
    await tick(5);
    queue.add("ns/a");
    queue.add("ns/a");
    await tick(100);
    await queue.idle();
    expect(runs).toBe(2);
  });

  it("retries a failing key with growing backoff until it succeeds", async () => {
    const attempts: number[] = [];
    const retries: number[] = [];
    const queue = new WorkQueue({
      concurrency: 1,
      baseBackoffMs: 20,
      handle: async () => {
        attempts.push(Date.now());
        if (attempts.length < 3) throw new Error("not yet");
        return {};
      },
      onFailure: (_key, _error, retryInMs) => retries.push(retryInMs),
    });
    queue.add("ns/a");
    const deadline = Date.now() + 5000;
    while (attempts.length < 3 && Date.now() < deadline) await tick(10);
    expect(attempts.length).toBe(3);
    expect(retries[0]).toBeGreaterThanOrEqual(10);
    expect(retries[0]).toBeLessThanOrEqual(20);
    expect(retries[1]).toBeGreaterThanOrEqual(20);
    expect(retries[1]).toBeLessThanOrEqual(40);
    await queue.stop();
  });

  it("requeueAfterMs brings a key back; forget cancels it; stop waits for running handlers", async () => {
    let runs = 0;
    let finished = false;
    const queue = new WorkQueue({
      concurrency: 1,
      handle: async () => {
        runs++;
        if (runs === 2) {
          await tick(50);
          finished = true;
        }
        return { requeueAfterMs: 20 };
      },
    });
    queue.add("ns/a");
    const deadline = Date.now() + 5000;
    while (runs < 2 && Date.now() < deadline) await tick(5);
    await queue.stop();
    expect(finished).toBe(true);
    const after = runs;
    await tick(60);
    expect(runs).toBe(after);
  });
});

describe("backoff", () => {
  it("doubles from the base with jitter in the upper half, capped", () => {
    expect(backoffMs(1, 1000, 300_000, () => 0)).toBe(500);
    expect(backoffMs(1, 1000, 300_000, () => 1)).toBe(1000);
    expect(backoffMs(4, 1000, 300_000, () => 1)).toBe(8000);
    expect(backoffMs(30, 1000, 300_000, () => 1)).toBe(300_000);
    expect(jitter(1000, 0.1, () => 0)).toBe(900);
    expect(jitter(1000, 0.1, () => 1)).toBe(1100);
  });
});
