// One ConfigMap per entry of `spec.configMaps`, named by its key (docs/upstream-compatibility.md),
// or `<key>-<hash>` when immutable (config-objects.ts).
import type { PlatformObject } from "../../../sdk/index.ts";
import { configMapObjectName } from "../config-objects.ts";
import { compact, defineKubernetesTransformer, objectMetadata, sortedEntries } from "../define.ts";
import { ResourceFqn } from "../spec.ts";

/**
 * One ConfigMap per entry of a component's `configMaps`, named by its key (or `<key>-<hash>` when
 * immutable).
 */
export const configMapTransformer = defineKubernetesTransformer({
  name: "configmap-transformer",
  description: "Creates a Kubernetes ConfigMap for each entry of a component's configMaps",
  labels: { "core.opmodel.dev/resource-category": "config" },
  requiredResources: [ResourceFqn.configMaps],
  transform: (spec, _component, context) => {
    const out: Record<string, PlatformObject> = {};
    for (const [key, configMap] of sortedEntries(spec.configMaps)) {
      out[key] = compact({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: objectMetadata(context, configMapObjectName(key, configMap, context), false),
        immutable: configMap.immutable,
        data: { ...(configMap.data ?? {}) },
      });
    }
    return out;
  },
});
