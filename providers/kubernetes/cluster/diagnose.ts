// Why a workload is not ready, in the words Kubernetes used: the latest Warning event about the
// workload itself or about one of its pods (pods are named `<workload>-...`). Attached to wait
// timeouts so "0/1 replicas ready" comes with "pod has unbound PersistentVolumeClaims".
import type { ClusterClient } from "./client.ts";
import { objectKey, type ObjectRef } from "../../../sdk/identity/objects.ts";

interface WarningEvent {
  type?: string;
  reason?: string;
  message?: string;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject: { kind?: string; name?: string };
}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"]);

/** The latest warning per object (by `objectKey`); best effort, never throws. */
export async function latestWarnings(
  client: ClusterClient,
  ids: readonly ObjectRef[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const namespaces = [
    ...new Set(ids.filter((id) => WORKLOADS.has(id.kind) && id.namespace !== "").map((id) => id.namespace)),
  ];
  for (const namespace of namespaces) {
    const res = await client
      .raw<{ items?: WarningEvent[] }>("GET", `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, {
        query: { fieldSelector: "type=Warning" },
      })
      .catch(() => undefined);
    if (res === undefined || res.status !== 200) continue;
    const events = [...(res.body.items ?? [])].sort((a, b) =>
      (a.lastTimestamp ?? a.eventTime ?? "").localeCompare(b.lastTimestamp ?? b.eventTime ?? ""),
    );
    for (const id of ids) {
      if (id.namespace !== namespace || !WORKLOADS.has(id.kind)) continue;
      const about = events.filter((e) => {
        const name = e.involvedObject.name ?? "";
        return (
          (e.involvedObject.kind === id.kind && name === id.name) ||
          (e.involvedObject.kind === "Pod" && name.startsWith(`${id.name}-`))
        );
      });
      const last = about.at(-1);
      if (last !== undefined)
        out.set(objectKey(id), `${last.reason ?? "Warning"}: ${last.message ?? ""}`.trim());
    }
  }
  return out;
}
