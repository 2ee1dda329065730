// One Secret per entry of `spec.secrets`, named by its key (docs/upstream-compatibility.md). Data is
// expected base64-encoded already, as the catalog schema says.
import type { PlatformObject } from "../../../sdk/index.ts";
import { compact, defineKubernetesTransformer, objectMetadata, sortedEntries } from "../define.ts";
import { ResourceFqn } from "../spec.ts";

export const secretTransformer = defineKubernetesTransformer({
  name: "secret-transformer",
  description: "Creates a Kubernetes Secret for each entry of a component's secrets",
  labels: { "core.opmodel.dev/resource-category": "security" },
  requiredResources: [ResourceFqn.secrets],
  transform: (spec, _component, context) => {
    const out: Record<string, PlatformObject> = {};
    for (const [key, secret] of sortedEntries(spec.secrets)) {
      out[key] = compact({
        apiVersion: "v1",
        kind: "Secret",
        metadata: objectMetadata(context, context.objectName(key), false),
        type: secret.type ?? "Opaque",
        immutable: secret.immutable,
        data: { ...(secret.data ?? {}) },
      });
    }
    return out;
  },
});
