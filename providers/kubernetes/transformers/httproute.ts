// Gateway API HTTPRoute for the HttpRoute trait when it names a gateway (`gatewayRef`); without
// one the Ingress transformer serves the trait. Path types keep their Gateway API names
// (Prefix becomes PathPrefix); header matches are exact.
import { defineKubernetesTransformer, compact, objectMetadata, requireSpec } from "../define.ts";
import { backendRefs, GATEWAY_API_GROUP, parentRefs } from "../gateway.ts";
import { TraitFqn, type HttpRouteSpec } from "../spec.ts";

const PATH_TYPES: Readonly<Record<string, string>> = {
  Prefix: "PathPrefix",
  Exact: "Exact",
  RegularExpression: "RegularExpression",
};

type Match = NonNullable<HttpRouteSpec["rules"][number]["matches"]>[number];

function match(source: Match): Record<string, unknown> {
  return compact({
    path:
      source.path === undefined
        ? undefined
        : { type: PATH_TYPES[source.path.type ?? "Prefix"], value: source.path.value },
    headers: source.headers?.map((h) => ({ type: "Exact", name: h.name, value: h.value })),
    method: source.method,
  });
}

/** Gateway API HTTPRoute for an HttpRoute trait that names a gateway. */
export const httpRouteTransformer = defineKubernetesTransformer({
  name: "httproute-transformer",
  description: "Routes HTTP traffic from a Gateway to a component through a Gateway API HTTPRoute",
  labels: { "core.opmodel.dev/trait-type": "network" },
  requiredTraits: [TraitFqn.httpRoute],
  transform: (spec, component, context) => {
    const route = requireSpec(spec.httpRoute, "httpRoute");
    if (route.gatewayRef === undefined) return undefined;
    const service = component.metadata.name;
    return {
      apiVersion: `${GATEWAY_API_GROUP}/v1`,
      kind: "HTTPRoute",
      metadata: objectMetadata(context, context.objectName(service), false),
      spec: compact({
        parentRefs: parentRefs(route, "httpRoute"),
        hostnames: route.hostnames === undefined ? undefined : [...route.hostnames],
        rules: route.rules.map((rule) =>
          compact({
            matches: rule.matches?.map(match),
            backendRefs: backendRefs(context, service, rule.backendPort),
          }),
        ),
      }),
    };
  },
});
