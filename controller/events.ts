// Kubernetes Events about a ModuleRelease (`kubectl describe mr` and `kubectl get events` show
// them): Applied, Pruned, Drifted (Normal) and Failed (Warning). A repeat of the same event
// within the series bumps its count instead of adding an object, as kubelet's recorder does.
// Writing an event may fail (RBAC, quota): the reconcile goes on, the failure is only reported.
import { createHash } from "node:crypto";
import type { ClusterClient } from "../providers/kubernetes/cluster/index.ts";
import { API_VERSION, KIND, type ModuleRelease } from "./api/types.ts";

export type EventReason = "Applied" | "Pruned" | "Drifted" | "Failed" | "Suspended" | "Deleted";

export interface EventRecorder {
  record(
    release: ModuleRelease,
    type: "Normal" | "Warning",
    reason: EventReason,
    message: string,
  ): Promise<void>;
}

const COMPONENT = "opm-controller";

export function clusterEvents(
  client: ClusterClient,
  host: string,
  onError: (e: unknown) => void,
): EventRecorder {
  return {
    async record(release, type, reason, message) {
      const { namespace, name, uid } = release.metadata;
      const short = message.length > 1000 ? `${message.slice(0, 997)}...` : message;
      // One Event object per (release, reason, message): repeats count up on it.
      const id = createHash("sha256").update(`${uid}\n${reason}\n${short}`).digest("hex").slice(0, 12);
      const eventName = `${name}.${id}`;
      const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
      const now = new Date().toISOString();
      try {
        const existing = await client.raw<{ count?: number }>("GET", `${path}/${eventName}`);
        if (existing.status === 200) {
          await client.json("PATCH", `${path}/${eventName}`, `updating event ${eventName}`, {
            contentType: "application/merge-patch+json",
            body: { count: (existing.body.count ?? 1) + 1, lastTimestamp: now },
          });
          return;
        }
        await client.json("POST", path, `recording event ${eventName}`, {
          body: {
            apiVersion: "v1",
            kind: "Event",
            metadata: { name: eventName, namespace },
            involvedObject: { apiVersion: API_VERSION, kind: KIND, namespace, name, uid },
            type,
            reason,
            message: short,
            source: { component: COMPONENT, host },
            reportingComponent: COMPONENT,
            reportingInstance: host,
            firstTimestamp: now,
            lastTimestamp: now,
            count: 1,
          },
        });
      } catch (error) {
        onError(error);
      }
    },
  };
}
