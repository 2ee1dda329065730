// When a workload becomes autoscaled its render stops setting `spec.replicas` (the autoscaler owns
// it). Server-side apply removes a field its manager stops sending when no other manager owns it,
// and the server then defaults it to 1: turning autoscaling on would scale the workload down to
// one pod until the autoscaler raises it again. Before that apply, a second field manager applies
// just the live `replicas`, so the field is shared and survives our apply dropping it (the
// hand-over kubectl's server-side apply documentation describes for autoscalers).
import type { ClusterClient } from "./client.ts";
import { FIELD_MANAGER, serverSideApply, type KubeObject } from "./objects.ts";

/** The field manager that holds `replicas` between our apply and the autoscaler's first scaling. */
export const HANDOVER_MANAGER = "opm-replicas-handover";

const SCALED_KINDS = new Set(["Deployment", "StatefulSet"]);

/** True when this apply would drop a `replicas` only we own. */
export function needsReplicasHandover(
  desired: KubeObject,
  live: KubeObject | undefined,
  fieldManager = FIELD_MANAGER,
): boolean {
  if (live === undefined || !SCALED_KINDS.has(desired.kind)) return false;
  const spec = desired["spec"] as Record<string, unknown> | undefined;
  if (spec === undefined || "replicas" in spec) return false;
  if ((live["spec"] as { replicas?: unknown } | undefined)?.replicas === undefined) return false;
  const owners = (live.metadata.managedFields ?? []).filter((m) => ownsReplicas(m.fieldsV1));
  return owners.length > 0 && owners.every((m) => m.manager === fieldManager);
}

function ownsReplicas(fields: unknown): boolean {
  const spec = (fields as Record<string, Record<string, unknown> | undefined> | undefined)?.["f:spec"];
  return spec !== undefined && "f:replicas" in spec;
}

export async function handOverReplicas(
  client: ClusterClient,
  live: KubeObject,
  options: { readonly dryRun: boolean },
): Promise<void> {
  const { apiVersion, kind, metadata } = live;
  const replicas = (live["spec"] as { replicas: number }).replicas;
  const { name, namespace } = metadata;
  await serverSideApply(
    client,
    {
      apiVersion,
      kind,
      metadata: namespace === undefined ? { name } : { name, namespace },
      spec: { replicas },
    },
    { force: false, dryRun: options.dryRun, fieldManager: HANDOVER_MANAGER },
  );
}
