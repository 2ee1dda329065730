// Service for components with the Expose trait (docs/upstream-compatibility.md).
import {
  compact,
  defineKubernetesTransformer,
  objectMetadata,
  requireSpec,
  sortedEntries,
} from "../define.ts";
import { ResourceFqn, TraitFqn } from "../spec.ts";

/** Service for the Expose trait: the container ports it lists, of the type it asks for. */
export const serviceTransformer = defineKubernetesTransformer({
  name: "service-transformer",
  description: "Exposes a component's container ports through a Kubernetes Service",
  labels: { "core.opmodel.dev/resource-type": "service", "core.opmodel.dev/trait-type": "network" },
  requiredResources: [ResourceFqn.container],
  requiredTraits: [TraitFqn.expose],
  // Reads the container's ports; the workload transformer renders the container itself.
  handledResources: [],
  transform: (spec, component, context) => {
    const expose = requireSpec(spec.expose, "expose");
    const type = expose.type ?? "ClusterIP";
    const ports = sortedEntries(expose.ports).map(([key, port]) =>
      compact({
        name: port.name ?? key,
        port: port.exposedPort ?? port.targetPort,
        targetPort: port.targetPort,
        protocol: port.protocol ?? "TCP",
        nodePort: type === "NodePort" ? port.exposedPort : undefined,
      }),
    );
    return {
      apiVersion: "v1",
      kind: "Service",
      metadata: objectMetadata(context, context.objectName(component.metadata.name), true),
      spec: { type, selector: { ...context.componentLabels }, ports },
    };
  },
});
