// NetworkRules rendered into NetworkPolicy objects (networking.k8s.io/v1): one per selected
// component and named rule, selecting the component's pods. Peers: a component of the release
// (by its `app.kubernetes.io/name` pod label), raw pod labels, or a CIDR. `denyAll` with no
// rules of a direction denies all traffic of that direction; a direction never mentioned is left
// open, as Kubernetes does.
import type { PolicyRuleImplementation } from "../../../sdk/index.ts";

interface Peer {
  readonly component?: string;
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly cidr?: string;
}
interface Port {
  readonly port: number;
  readonly protocol?: string;
}
interface NetworkRule {
  readonly ingress?: readonly { readonly from: readonly Peer[]; readonly ports?: readonly Port[] }[];
  readonly egress?: readonly { readonly to: readonly Peer[]; readonly ports?: readonly Port[] }[];
  readonly denyAll?: boolean;
}

/** `fromWeb` → `from-web`: rule names become DNS labels in object names. */
function dnsLabel(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function peer(p: Peer): Record<string, unknown> {
  if (p.cidr !== undefined) return { ipBlock: { cidr: p.cidr } };
  const labels = {
    ...(p.component === undefined ? {} : { "app.kubernetes.io/name": p.component }),
    ...(p.matchLabels ?? {}),
  };
  return { podSelector: { matchLabels: labels } };
}

function ports(list: readonly Port[] | undefined): Record<string, unknown> {
  if (list === undefined || list.length === 0) return {};
  return { ports: list.map((p) => ({ port: p.port, protocol: p.protocol ?? "TCP" })) };
}

export const networkRules: PolicyRuleImplementation = {
  render: ({ component, context, spec }) => {
    const rules = spec as Readonly<Record<string, NetworkRule>>;
    return Object.keys(rules)
      .sort()
      .map((ruleName) => {
        const rule = rules[ruleName]!;
        const ingress = (rule.ingress ?? []).map((r) => ({ from: r.from.map(peer), ...ports(r.ports) }));
        const egress = (rule.egress ?? []).map((r) => ({ to: r.to.map(peer), ...ports(r.ports) }));
        const deny = rule.denyAll === true;
        const policyTypes = [
          ...(ingress.length > 0 || deny ? ["Ingress"] : []),
          ...(egress.length > 0 || deny ? ["Egress"] : []),
        ];
        return {
          apiVersion: "networking.k8s.io/v1",
          kind: "NetworkPolicy",
          metadata: {
            name: context.objectName(`${component.metadata.name}-${dnsLabel(ruleName)}`),
            namespace: context.release.namespace,
            labels: { ...context.labels },
            ...(Object.keys(context.annotations).length === 0
              ? {}
              : { annotations: { ...context.annotations } }),
          },
          spec: {
            podSelector: { matchLabels: { ...context.componentLabels } },
            policyTypes,
            ...(ingress.length > 0 ? { ingress } : {}),
            ...(egress.length > 0 ? { egress } : {}),
          },
        };
      });
  },
};
