// Gateway API GRPCRoute for the GrpcRoute trait: method matches by service and method name,
// exact header matches, the component's Service as backend.
import { defineKubernetesTransformer, compact, objectMetadata, requireSpec } from "../define.ts";
import { backendRefs, GATEWAY_API_GROUP, parentRefs } from "../gateway.ts";
import { TraitFqn, type GrpcRouteSpec } from "../spec.ts";

type Match = NonNullable<NonNullable<GrpcRouteSpec["rules"]>[number]["matches"]>[number];

function match(source: Match): Record<string, unknown> {
  const method = compact({ type: "Exact", service: source.service, method: source.method });
  return compact({
    method: source.service === undefined && source.method === undefined ? undefined : method,
    headers: source.headers?.map((h) => ({ type: "Exact", name: h.name, value: h.value })),
  });
}

/** Gateway API GRPCRoute for the GrpcRoute trait. */
export const grpcRouteTransformer = defineKubernetesTransformer({
  name: "grpcroute-transformer",
  description: "Routes gRPC traffic from a Gateway to a component through a Gateway API GRPCRoute",
  labels: { "core.opmodel.dev/trait-type": "network" },
  requiredTraits: [TraitFqn.grpcRoute],
  transform: (spec, component, context) => {
    const route = requireSpec(spec.grpcRoute, "grpcRoute");
    const service = component.metadata.name;
    return {
      apiVersion: `${GATEWAY_API_GROUP}/v1`,
      kind: "GRPCRoute",
      metadata: objectMetadata(context, context.objectName(service), false),
      spec: compact({
        parentRefs: parentRefs(route, "grpcRoute"),
        hostnames: route.hostnames === undefined ? undefined : [...route.hostnames],
        rules: (route.rules ?? []).map((rule) =>
          compact({
            matches: rule.matches?.map(match),
            backendRefs: backendRefs(context, service, rule.backendPort),
          }),
        ),
      }),
    };
  },
});
