// Ingress for the HttpRoute trait (docs/upstream-compatibility.md), unless the trait names a
// gateway (`gatewayRef`): then the HTTPRoute transformer serves it. Path types map to the ones
// Ingress has (RegularExpression becomes ImplementationSpecific); a rule without path matches
// serves `/`.
import { compact, defineKubernetesTransformer, objectMetadata, requireSpec } from "../define.ts";
import { TraitFqn, type HttpRouteSpec } from "../spec.ts";

const PATH_TYPES: Readonly<Record<string, string>> = {
  Prefix: "Prefix",
  Exact: "Exact",
  RegularExpression: "ImplementationSpecific",
};

function paths(route: HttpRouteSpec, service: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const rule of route.rules) {
    const backend = { service: { name: service, port: { number: rule.backendPort } } };
    const withPath = (rule.matches ?? []).filter((m) => m.path !== undefined);
    if (withPath.length === 0) out.push({ path: "/", pathType: "Prefix", backend });
    for (const match of withPath) {
      out.push({ path: match.path!.value, pathType: PATH_TYPES[match.path!.type ?? "Prefix"], backend });
    }
  }
  return out;
}

/** An Ingress for the HttpRoute trait, unless the trait names a Gateway (then an HTTPRoute serves it). */
export const ingressTransformer = defineKubernetesTransformer({
  name: "ingress-transformer",
  description: "Routes HTTP traffic to a component through a Kubernetes Ingress",
  labels: { "core.opmodel.dev/trait-type": "network" },
  requiredTraits: [TraitFqn.httpRoute],
  transform: (spec, component, context) => {
    const route = requireSpec(spec.httpRoute, "httpRoute");
    if (route.gatewayRef !== undefined) return undefined;
    const name = context.objectName(component.metadata.name);
    const http = { paths: paths(route, name) };
    const hostnames = route.hostnames ?? [];
    const rules = hostnames.length > 0 ? hostnames.map((host) => ({ host, http })) : [{ http }];
    const certificate = route.tls?.certificateRef;
    const tls =
      certificate === undefined
        ? undefined
        : [
            compact({
              secretName: certificate.name,
              hosts: hostnames.length > 0 ? [...hostnames] : undefined,
            }),
          ];
    return {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: objectMetadata(context, name, false),
      spec: compact({ ingressClassName: route.ingressClassName, tls, rules }),
    };
  },
});
