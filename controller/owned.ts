// Drift found as it happens: informers on the kinds releases render (only objects carrying a
// release's UUID label), and a change made by someone other than the controller, or a deletion,
// queues the owning ModuleRelease at once instead of at its next interval. Status writes of
// the objects' own controllers (the status subresource) are not changes to the release.
import type { ClusterClient } from "../providers/kubernetes/cluster/index.ts";
import { LabelKeys } from "../sdk/index.ts";
import { FIELD_MANAGER } from "./api/types.ts";
import { Informer, type WatchedObject } from "./informer.ts";

/** Collections of the kinds the Kubernetes provider renders (the install's ClusterRole grants them). */
const OWNED_KINDS: readonly [prefix: string, resource: string][] = [
  ["/api/v1", "configmaps"],
  ["/api/v1", "secrets"],
  ["/api/v1", "services"],
  ["/api/v1", "serviceaccounts"],
  ["/api/v1", "persistentvolumeclaims"],
  ["/apis/apps/v1", "deployments"],
  ["/apis/apps/v1", "statefulsets"],
  ["/apis/apps/v1", "daemonsets"],
  ["/apis/batch/v1", "jobs"],
  ["/apis/batch/v1", "cronjobs"],
  ["/apis/networking.k8s.io/v1", "ingresses"],
];

/**
 * Rendered objects carry their release's UUID; so does the release's inventory Secret, which
 * every apply rewrites (labelled `opmodel.dev/component: inventory`): it is not the release's
 * content, and watching it would make each apply trigger the next.
 */
const OWNED_SELECTOR = `${LabelKeys.releaseUuid},opmodel.dev/component!=inventory`;

interface ManagedField {
  readonly manager?: string;
  readonly time?: string;
  readonly subresource?: string;
}

type Owned = WatchedObject & {
  readonly metadata: { readonly labels?: Record<string, string>; readonly managedFields?: ManagedField[] };
};

export interface OwnedWatchOptions {
  readonly client: ClusterClient;
  readonly namespace?: string;
  /** The ModuleRelease (queue key) of a release UUID, if the controller manages it. */
  readonly ownerOf: (releaseUuid: string) => string | undefined;
  /** Something changed an object of the release behind `key`. */
  readonly onDrift: (key: string, what: string) => void;
  readonly onError: (error: unknown) => void;
  readonly watchSeconds?: number;
}

/** Starts one informer per owned kind; they run until `signal` aborts. */
export function watchOwned(
  options: OwnedWatchOptions,
  signal: AbortSignal,
): { runs: Promise<void>[]; synced: Promise<void> } {
  const informers = OWNED_KINDS.map(([prefix, resource]) => {
    const path =
      options.namespace === undefined
        ? `${prefix}/${resource}`
        : `${prefix}/namespaces/${encodeURIComponent(options.namespace)}/${resource}`;
    return new Informer({
      client: options.client,
      path,
      labelSelector: OWNED_SELECTOR,
      // A deletion found by a list needs the object's name and release only, not its content.
      keep: ({ metadata }: Owned) => ({
        metadata: {
          name: metadata.name,
          ...(metadata.namespace === undefined ? {} : { namespace: metadata.namespace }),
          ...(metadata.resourceVersion === undefined ? {} : { resourceVersion: metadata.resourceVersion }),
          labels: { [LabelKeys.releaseUuid]: metadata.labels?.[LabelKeys.releaseUuid] ?? "" },
        },
      }),
      ...(options.watchSeconds === undefined ? {} : { watchSeconds: options.watchSeconds }),
      onChange: (_key, object, deleted, listed) => {
        // A list (start, resume after expiry) is not a change; the release's own check covers it.
        if (listed) return;
        const owned = object as Owned;
        const uuid = owned.metadata.labels?.[LabelKeys.releaseUuid];
        const key = uuid === undefined ? undefined : options.ownerOf(uuid);
        if (key === undefined) return;
        if (!deleted && !changedByOthers(owned)) return;
        options.onDrift(
          key,
          `${resource} ${owned.metadata.namespace ?? ""}/${owned.metadata.name} ${deleted ? "deleted" : "changed"}`,
        );
      },
      onError: options.onError,
    });
  });
  return {
    runs: informers.map((i) => i.run(signal)),
    synced: Promise.all(informers.map((i) => i.whenSynced())).then(() => undefined),
  };
}

/** A write of the newest second (by managedFields time) was neither the controller's nor a status update. */
function changedByOthers(object: Owned): boolean {
  const stamped = (object.metadata.managedFields ?? []).filter((f) => f.time !== undefined);
  const newest = stamped.reduce((max, f) => (f.time! > max ? f.time! : max), "");
  // Times have a resolution of one second, and the entries' order is not the order of writes:
  // of the entries stamped in the newest second, any one by another manager (status writes
  // aside) may be the change. Picking one by position missed a CLI apply whose second it shared
  // with the controller's own write or a status update, and the drift waited for the interval.
  return stamped.some((f) => f.time === newest && f.manager !== FIELD_MANAGER && f.subresource !== "status");
}
