// The work queue: keys (namespace/name) waiting to be reconciled, each at most once in the queue
// and never handled by two workers at once (a key that changes while it is handled runs again
// after). At most `concurrency` handlers run at a time. A failed key comes back after a backoff
// that grows with its consecutive failures; a handler may ask to come back after a delay.
import { backoffMs } from "./backoff.ts";

export interface QueueOptions {
  readonly concurrency: number;
  /** Reconciles one key; `requeueAfterMs` schedules the next run (periodic drift checks). */
  readonly handle: (key: string) => Promise<{ readonly requeueAfterMs?: number }>;
  /** A handler threw: the key is retried after `retryInMs`. */
  readonly onFailure?: (key: string, error: unknown, retryInMs: number) => void;
  /** First retry within 1 s, doubling up to `maxBackoffMs` (default 5 min). */
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

export class WorkQueue {
  private readonly ready: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Set<string>();
  /** Keys that changed while being handled: they go back in when their handler ends. */
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private readonly idleWaiters: (() => void)[] = [];
  private stopped = false;

  private readonly options: QueueOptions;

  constructor(options: QueueOptions) {
    this.options = options;
  }

  /** Keys waiting to be handled now (not the ones scheduled for later). */
  get depth(): number {
    return this.ready.length;
  }

  get running(): number {
    return this.active.size;
  }

  add(key: string): void {
    if (this.stopped) return;
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.ready.push(key);
    this.pump();
  }

  /** Handles `key` after `delayMs`, unless it is already due sooner. */
  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + delayMs;
    const existing = this.timers.get(key);
    if (existing !== undefined && existing.at <= at) return;
    if (existing !== undefined) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  /** Forgets a key: its scheduled run and failure count (the object is gone). */
  forget(key: string): void {
    const scheduled = this.timers.get(key);
    if (scheduled !== undefined) clearTimeout(scheduled.timer);
    this.timers.delete(key);
    this.failures.delete(key);
  }

  /** Stops taking work; resolves when running handlers have ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.ready.length = 0;
    this.queued.clear();
    await this.idle();
  }

  /** Resolves when nothing runs and nothing is waiting to run now. */
  idle(): Promise<void> {
    if (this.active.size === 0 && this.ready.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (!this.stopped && this.active.size < this.options.concurrency && this.ready.length > 0) {
      const key = this.ready.shift()!;
      this.queued.delete(key);
      this.active.add(key);
      void this.work(key);
    }
    if (this.active.size === 0 && this.ready.length === 0)
      for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async work(key: string): Promise<void> {
    try {
      const { requeueAfterMs } = await this.options.handle(key);
      this.failures.delete(key);
      if (requeueAfterMs !== undefined) this.addAfter(key, requeueAfterMs);
    } catch (error) {
      const attempt = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, attempt);
      const retryInMs = backoffMs(
        attempt,
        this.options.baseBackoffMs ?? 1000,
        this.options.maxBackoffMs ?? 300_000,
      );
      this.options.onFailure?.(key, error, retryInMs);
      this.addAfter(key, retryInMs);
    } finally {
      this.active.delete(key);
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
    }
  }
}
