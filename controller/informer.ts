// List, then watch from the list's resourceVersion, and keep a cache of what was seen. When the
// watch ends (the server's timeoutSeconds, a dropped connection) it resumes from the last
// resourceVersion (bookmarks keep it fresh); when that is too old (410 Gone) it lists again and
// reports what changed meanwhile. Failures back off with jitter; every call is bounded: the list
// by the client's request timeout, the watch by the server's timeout plus an idle limit.
import type { ClusterClient } from "../providers/kubernetes/cluster/index.ts";
import { backoffMs, sleep } from "./backoff.ts";

export interface Meta {
  readonly name: string;
  readonly namespace?: string;
  readonly resourceVersion?: string;
  readonly uid?: string;
}

export interface WatchedObject {
  readonly metadata: Meta;
}

interface WatchEvent {
  readonly type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  readonly object: WatchedObject & { readonly code?: number; readonly message?: string };
}

export interface InformerOptions {
  readonly client: ClusterClient;
  /** The collection, e.g. `/apis/opmodel.dev/v1alpha1/modulereleases` or a namespaced one. */
  readonly path: string;
  readonly labelSelector?: string;
  /**
   * An object was added or changed (`object`) or deleted (`object` is its last state); `listed`:
   * seen by a list rather than a watch event.
   */
  readonly onChange: (key: string, object: WatchedObject, deleted: boolean, listed: boolean) => void;
  /** A list or watch failed; the informer retries on its own. */
  readonly onError?: (error: unknown) => void;
  /** How long the server keeps one watch open; default 5 min (the server adds jitter). */
  readonly watchSeconds?: number;
  /**
   * What the cache keeps of each object (a deletion found by a list is reported with it); default
   * all of it. A controller watching thousands of objects keeps only what it reads.
   */
  readonly keep?: (object: WatchedObject) => WatchedObject;
}

export const keyOf = (meta: Meta): string => `${meta.namespace ?? ""}/${meta.name}`;

export class Informer {
  private readonly cache = new Map<string, WatchedObject>();
  private resourceVersion: string | undefined;
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];

  private readonly options: InformerOptions;

  constructor(options: InformerOptions) {
    this.options = options;
  }

  get(key: string): WatchedObject | undefined {
    return this.cache.get(key);
  }

  keys(): string[] {
    return [...this.cache.keys()];
  }

  /** True after the first list; readiness waits for it. */
  get hasSynced(): boolean {
    return this.synced;
  }

  whenSynced(): Promise<void> {
    return this.synced ? Promise.resolve() : new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  private kept(object: WatchedObject): WatchedObject {
    return this.options.keep === undefined ? object : this.options.keep(object);
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (this.resourceVersion === undefined) await this.list();
        const gone = await this.watch(signal);
        if (gone) this.resourceVersion = undefined;
        failures = 0;
      } catch (error) {
        this.options.onError?.(error);
        failures++;
        await sleep(backoffMs(failures, 500, 30_000), signal);
      }
    }
  }

  private async list(): Promise<void> {
    const { client, path } = this.options;
    const body = await client.json<{ metadata: { resourceVersion: string }; items: WatchedObject[] }>(
      "GET",
      path,
      `listing ${path}`,
      { query: { labelSelector: this.options.labelSelector } },
    );
    const seen = new Set<string>();
    for (const item of body.items) {
      const key = keyOf(item.metadata);
      seen.add(key);
      const before = this.cache.get(key);
      this.cache.set(key, this.kept(item));
      if (before?.metadata.resourceVersion !== item.metadata.resourceVersion)
        this.options.onChange(key, item, false, true);
    }
    for (const [key, object] of [...this.cache]) {
      if (seen.has(key)) continue;
      this.cache.delete(key);
      this.options.onChange(key, object, true, true);
    }
    this.resourceVersion = body.metadata.resourceVersion;
    if (!this.synced) {
      this.synced = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
  }

  /** One watch; true when the resourceVersion expired and a new list is needed. */
  private async watch(signal: AbortSignal): Promise<boolean> {
    const seconds = this.options.watchSeconds ?? 300;
    let gone = false;
    const res = await this.options.client.watch(
      this.options.path,
      {
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: "true",
        timeoutSeconds: String(seconds),
        labelSelector: this.options.labelSelector,
      },
      (raw) => {
        const event = raw as WatchEvent;
        if (event.type === "ERROR") {
          if (event.object.code === 410) gone = true;
          return;
        }
        if (event.object.metadata.resourceVersion !== undefined)
          this.resourceVersion = event.object.metadata.resourceVersion;
        if (event.type === "BOOKMARK") return;
        const key = keyOf(event.object.metadata);
        if (event.type === "DELETED") this.cache.delete(key);
        else this.cache.set(key, this.kept(event.object));
        this.options.onChange(key, event.object, event.type === "DELETED", false);
      },
      // Bookmarks arrive about once a minute; silence well past the server's own end is a hang.
      { idleTimeoutMs: (seconds + 30) * 1000, signal },
    );
    if (res.status === 410) return true;
    if (res.status >= 300 && res.status !== 499)
      throw this.options.client.failure(res, `watching ${this.options.path}`);
    return gone;
  }
}
