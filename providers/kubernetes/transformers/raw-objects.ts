// The component's raw objects (`spec.rawObjects`): Kubernetes objects of any kind, custom
// resources included, emitted as written with the release's identity added: the name (the key
// unless metadata.name is set) goes through the context's naming, the namespace defaults to the
// release's (the cluster side drops it for cluster-scoped kinds), and the release's labels win
// over the author's so ownership cannot be written away. Nothing else is checked here: the API
// server's dry run validates each object at apply.
import type { PlatformObject } from "../../../sdk/index.ts";
import { compact, defineKubernetesTransformer, sortedEntries } from "../define.ts";
import { ResourceFqn } from "../spec.ts";

export const rawObjectsTransformer = defineKubernetesTransformer({
  name: "raw-objects-transformer",
  description: "Emits a component's raw Kubernetes objects, of any kind, owned by the release",
  labels: { "core.opmodel.dev/resource-category": "extension" },
  requiredResources: [ResourceFqn.rawObjects],
  transform: (spec, _component, context) => {
    const out: Record<string, PlatformObject> = {};
    for (const [key, raw] of sortedEntries(spec.rawObjects)) {
      const { name, namespace, labels, annotations, ...meta } = raw.metadata ?? {};
      out[key] = {
        ...raw,
        metadata: compact({
          ...meta,
          name: context.objectName(name ?? key),
          namespace: namespace ?? context.release.namespace,
          labels: { ...labels, ...context.labels },
          annotations: annotations === undefined ? undefined : { ...annotations },
        }),
      };
    }
    return out;
  },
});
