// One PersistentVolumeClaim per volume with a `persistentClaim` (docs/upstream-compatibility.md).
// Output is a map keyed by volume key; volumes without a claim emit nothing.
import type { PlatformObject } from "../../../sdk/index.ts";
import { compact, defineKubernetesTransformer, objectMetadata, sortedEntries } from "../define.ts";
import { ResourceFqn } from "../spec.ts";

/** One PersistentVolumeClaim per volume with a `persistentClaim`, named by the volume's key. */
export const pvcTransformer = defineKubernetesTransformer({
  name: "pvc-transformer",
  description: "Creates a PersistentVolumeClaim for each persistent volume of a component",
  labels: { "core.opmodel.dev/resource-category": "storage" },
  requiredResources: [ResourceFqn.volumes],
  transform: (spec, _component, context) => {
    const out: Record<string, PlatformObject> = {};
    for (const [key, volume] of sortedEntries(spec.volumes)) {
      const claim = volume.persistentClaim;
      if (claim === undefined) continue;
      out[key] = {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: objectMetadata(context, context.objectName(volume.name ?? key), true),
        spec: compact({
          accessModes: [claim.accessMode ?? "ReadWriteOnce"],
          resources: { requests: { storage: claim.size } },
          storageClassName: claim.storageClass,
        }),
      };
    }
    return out;
  },
});
