// `events`: Kubernetes events about a release's objects and their children (ReplicaSets, Pods,
// Jobs), newest last, filtered by age and type.
import type { ClusterClient } from "./client.ts";
import type { ReleaseSelector } from "./lookup.ts";
import type { ObjectRef } from "../../../sdk/identity/objects.ts";
import { tree, uidsOf } from "./tree.ts";

/** A Kubernetes event about one of a release's objects or their children (`opm mod events`). */
export interface ReleaseEvent {
  /** When it was last seen, RFC 3339 ("" when the server gave no time). */
  readonly lastSeen: string;
  /** `Normal` or `Warning`. */
  readonly type: string;
  /** The event's reason, e.g. `BackOff` or `ScalingReplicaSet`. */
  readonly reason: string;
  /** The event's message. */
  readonly message: string;
  /** How many times it happened. */
  readonly count: number;
  /** The object it is about (a release member, or a ReplicaSet, Pod or Job under one). */
  readonly object: ObjectRef;
}

interface CoreEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
  metadata: { creationTimestamp?: string };
  involvedObject: { uid?: string; kind?: string; name?: string; namespace?: string; apiVersion?: string };
}

/** Where `releaseEvents` reads and which events it keeps. */
export interface EventsOptions {
  /** The cluster to read from. */
  readonly client: ClusterClient;
  /** Only events seen at or after this time. */
  readonly since?: Date;
  /** Only events of this type. @default both */
  readonly type?: "Normal" | "Warning";
}

/**
 * The events about a release's objects and their children, oldest first.
 *
 * @throws OpmError OPM6011 when the release is not found, or from the cluster requests.
 */
export async function releaseEvents(
  selector: ReleaseSelector,
  options: EventsOptions,
): Promise<ReleaseEvent[]> {
  const { client } = options;
  const uids = uidsOf(await tree(selector, { client, depth: 2 }));
  const namespaces = new Set([...uids.values()].map((id) => id.namespace).filter((ns) => ns !== ""));
  const out: ReleaseEvent[] = [];
  for (const ns of namespaces) {
    const list = await client.json<{ items: CoreEvent[] }>(
      "GET",
      `/api/v1/namespaces/${encodeURIComponent(ns)}/events`,
      `events in ${ns}`,
    );
    for (const event of list.items) {
      const id = event.involvedObject.uid === undefined ? undefined : uids.get(event.involvedObject.uid);
      if (id === undefined) continue;
      const lastSeen =
        event.lastTimestamp ??
        event.eventTime ??
        event.firstTimestamp ??
        event.metadata.creationTimestamp ??
        "";
      if (options.since !== undefined && lastSeen !== "" && new Date(lastSeen) < options.since) continue;
      if (options.type !== undefined && event.type !== options.type) continue;
      out.push({
        lastSeen,
        type: event.type ?? "",
        reason: event.reason ?? "",
        message: event.message ?? "",
        count: event.count ?? 1,
        object: id,
      });
    }
  }
  return out.sort((a, b) => a.lastSeen.localeCompare(b.lastSeen));
}
