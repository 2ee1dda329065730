// The controller: an informer on ModuleReleases feeds a bounded work queue whose handler is the
// reconcile; each release comes back on its interval (with jitter) for drift checks; an HTTP
// server answers /metrics, /healthz and /readyz. `start` returns a handle whose `stop` ends the
// watch, lets running reconciles finish (they stop between writes), and closes the server.
import { setMaxListeners } from "node:events";
import { hostname } from "node:os";
import type { ClusterClient } from "../providers/kubernetes/cluster/index.ts";
import { jitter } from "./backoff.ts";
import { clusterEvents } from "./events.ts";
import { Informer, type WatchedObject } from "./informer.ts";
import { Metrics, serveMetrics, type Readiness } from "./metrics.ts";
import type { ControllerPorts } from "./ports.ts";
import { WorkQueue } from "./queue.ts";
import { describe, reconcile, ReconcileFailed } from "./reconcile.ts";
import { watchOwned } from "./owned.ts";
import { releasesPath } from "./resource.ts";

/** How long after a change to an owned object its release is checked. */
const DRIFT_DEBOUNCE_MS = 1000;

export interface ControllerOptions {
  readonly client: ClusterClient;
  readonly ports: ControllerPorts;
  /** Watch one namespace only; default every namespace. */
  readonly namespace?: string;
  /** Reconciles running at once; default 8. */
  readonly concurrency?: number;
  /** Where /metrics, /healthz and /readyz listen; undefined: no server. Port 0 picks a free one. */
  readonly metricsAddress?: { readonly host: string; readonly port: number };
  /** Where the controller's log lines go (one line each, no trailing newline). */
  readonly log: (line: string) => void;
  /** First retry delay after a failed reconcile; default 1 s, doubling up to 5 min. */
  readonly baseBackoffMs?: number;
  /** How long one watch stays open before it is renewed; default 5 min. */
  readonly watchSeconds?: number;
}

export interface RunningController {
  /** The port /metrics listens on, when it listens. */
  readonly metricsPort: number | undefined;
  /** Resolves once ModuleReleases have been listed. */
  readonly synced: Promise<void>;
  /** True once ModuleReleases have been listed (the controller works on them). */
  readonly hasSynced: () => boolean;
  readonly metrics: Metrics;
  stop(): Promise<void>;
}

export async function startController(options: ControllerOptions): Promise<RunningController> {
  const { client, log } = options;
  const stopping = new AbortController();
  // Every informer (releases and each owned kind) and running reconcile listens on it.
  setMaxListeners(64, stopping.signal);
  const holder = `opm-controller@${hostname()} (pid ${process.pid})`;
  /** Release UUID -> ModuleRelease key, learned from successful reconciles. */
  const owners = new Map<string, string>();
  /** ModuleRelease key -> the generation a reconcile has taken up (running, done, or retried by the queue). */
  const taken = new Map<string, number | undefined>();
  // One client per impersonated ServiceAccount, kept for its discovery cache and connections.
  const actors = new Map<string, ClusterClient>();
  const actingAs = (user: string): ClusterClient => {
    let actor = actors.get(user);
    if (actor === undefined) actors.set(user, (actor = client.impersonating(user)));
    return actor;
  };
  // eslint-disable-next-line prefer-const -- the queue and the informer refer to each other
  let informer: Informer;
  const queue: WorkQueue = new WorkQueue({
    concurrency: options.concurrency ?? 8,
    ...(options.baseBackoffMs === undefined ? {} : { baseBackoffMs: options.baseBackoffMs }),
    handle: async (key) => {
      const [namespace = "", name = ""] = key.split("/");
      const started = performance.now();
      try {
        const outcome = await reconcile(namespace, name, {
          client,
          ports: options.ports,
          events,
          metrics,
          holder,
          signal: stopping.signal,
          log,
          actingAs,
          onGeneration: (generation) => taken.set(key, generation),
        });
        metrics.observeReconcile("success", (performance.now() - started) / 1000);
        if (outcome.releaseUuid !== undefined) owners.set(outcome.releaseUuid, key);
        return outcome.requeueAfterMs === undefined ? {} : { requeueAfterMs: jitter(outcome.requeueAfterMs) };
      } catch (error) {
        metrics.observeReconcile("error", (performance.now() - started) / 1000);
        throw error;
      }
    },
    onFailure: (key, error, retryInMs) =>
      log(
        `reconcile ${key} failed${error instanceof ReconcileFailed ? "" : " (status not written)"}: ${describe(error)}; retrying in ${Math.round(retryInMs / 1000)}s`,
      ),
  });
  const metrics = new Metrics({
    queueDepth: () => queue.depth,
    running: () => queue.running,
    releases: () => informer.keys().length,
  });
  const events = clusterEvents(client, hostname(), (error) =>
    log(`recording an event failed: ${describe(error)}`),
  );
  informer = new Informer({
    client,
    path: releasesPath(options.namespace),
    // Only names are read from the cache (the count for metrics); a reconcile reads the release afresh.
    keep: ({ metadata }) => ({
      metadata: {
        name: metadata.name,
        ...(metadata.namespace === undefined ? {} : { namespace: metadata.namespace }),
        ...(metadata.resourceVersion === undefined ? {} : { resourceVersion: metadata.resourceVersion }),
      },
    }),
    ...(options.watchSeconds === undefined ? {} : { watchSeconds: options.watchSeconds }),
    onChange: (key, object, deleted, listed) => {
      if (deleted) {
        for (const [uuid, owner] of owners) if (owner === key) owners.delete(uuid);
        taken.delete(key);
        return queue.forget(key);
      }
      // A list (start, or a watch that expired) may have missed changes: check everything it shows.
      if (listed || needsWork(object, taken.get(key))) queue.add(key);
    },
    onError: (error) => log(`watching ModuleReleases failed: ${describe(error)}; watching again`),
  });
  const watching = informer.run(stopping.signal);
  const owned = watchOwned(
    {
      client,
      ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
      ...(options.watchSeconds === undefined ? {} : { watchSeconds: options.watchSeconds }),
      ownerOf: (uuid) => owners.get(uuid),
      // A short delay gathers the events of one edit (or of a kubectl apply of many objects).
      onDrift: (key, what) => {
        log(`${key}: ${what} on the cluster; checking for drift`);
        queue.addAfter(key, DRIFT_DEBOUNCE_MS);
      },
      onError: (error) => log(`watching owned objects failed: ${describe(error)}; watching again`),
    },
    stopping.signal,
  );
  const served =
    options.metricsAddress === undefined
      ? undefined
      : await serveMetrics(
          {
            metrics: () => metrics.text(),
            readiness: () => synced(informer.hasSynced),
          },
          options.metricsAddress,
        );
  return {
    metricsPort: served?.port,
    synced: Promise.all([informer.whenSynced(), owned.synced]).then(() => undefined),
    hasSynced: () => informer.hasSynced,
    metrics,
    async stop() {
      stopping.abort();
      await queue.stop();
      for (const actor of actors.values()) actor.close();
      await watching;
      await Promise.all(owned.runs);
      await options.ports.close?.();
      await new Promise<void>((resolve) =>
        served === undefined ? resolve() : served.server.close(() => resolve()),
      );
      served?.server.closeAllConnections();
    },
  };
}

/** The readiness of a controller that reconciles: ready once its ModuleReleases are listed. */
export function synced(listed: boolean): Readiness {
  return listed
    ? { ready: true, reason: "ModuleReleases listed, reconciling" }
    : { ready: false, reason: "ModuleReleases not listed yet" };
}

/**
 * A change worth a reconcile: a new generation, a deletion, or a release not yet reconciled. The
 * controller's own finalizer and status writes come back as watch events too: they change no
 * generation, and one a reconcile has already taken up (`taken`) needs no other.
 */
function needsWork(object: WatchedObject, taken: number | undefined): boolean {
  const release = object as WatchedObject & {
    metadata: { generation?: number; deletionTimestamp?: string; finalizers?: string[] };
    status?: { observedGeneration?: number };
  };
  if (release.metadata.deletionTimestamp !== undefined) return true;
  const generation = release.metadata.generation;
  if (generation !== undefined && generation === taken) return false;
  return (
    release.status?.observedGeneration !== generation || release.status?.observedGeneration === undefined
  );
}
