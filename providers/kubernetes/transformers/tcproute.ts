// Gateway API TCPRoute (v1alpha2, the experimental channel) for the TcpRoute trait: one rule per
// backend port of the component's Service.
import { defineKubernetesTransformer, compact, objectMetadata, requireSpec } from "../define.ts";
import { backendRefs, GATEWAY_API_GROUP, parentRefs } from "../gateway.ts";
import { TraitFqn } from "../spec.ts";

/** Gateway API TCPRoute (v1alpha2) for the TcpRoute trait. */
export const tcpRouteTransformer = defineKubernetesTransformer({
  name: "tcproute-transformer",
  description: "Routes TCP traffic from a Gateway to a component through a Gateway API TCPRoute",
  labels: { "core.opmodel.dev/trait-type": "network" },
  requiredTraits: [TraitFqn.tcpRoute],
  transform: (spec, component, context) => {
    const route = requireSpec(spec.tcpRoute, "tcpRoute");
    const service = component.metadata.name;
    return {
      apiVersion: `${GATEWAY_API_GROUP}/v1alpha2`,
      kind: "TCPRoute",
      metadata: objectMetadata(context, context.objectName(service), false),
      spec: compact({
        parentRefs: parentRefs(route, "tcpRoute"),
        rules: route.rules.map((rule) => ({ backendRefs: backendRefs(context, service, rule.backendPort) })),
      }),
    };
  },
});
