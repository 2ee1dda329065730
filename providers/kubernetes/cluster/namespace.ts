// `--create-namespace`: the release's namespace is created when missing. It is not an inventory
// member: namespaces are never pruned, and deleting a release leaves its namespace.
import type { ClusterClient } from "./client.ts";
import type { Progress } from "./events.ts";
import { FIELD_MANAGER } from "./objects.ts";

export async function ensureNamespace(
  client: ClusterClient,
  namespace: string,
  progress: Progress,
): Promise<boolean> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}`;
  const existing = await client.raw("GET", path);
  if (existing.status === 200) return false;
  if (existing.status !== 404) throw client.failure(existing, `namespace ${namespace}`);
  progress.write(`Namespace ${namespace}`);
  await client.json("PATCH", path, `creating namespace ${namespace}`, {
    body: { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    contentType: "application/apply-patch+yaml",
    query: { fieldManager: FIELD_MANAGER },
  });
  progress.emit({
    type: "object",
    id: { apiVersion: "v1", kind: "Namespace", namespace: "", name: namespace },
    component: "",
    action: "created",
  });
  return true;
}
