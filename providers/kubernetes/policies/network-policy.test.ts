// NetworkRules rendered into NetworkPolicy objects: a golden file of the objects for every peer
// kind (component, raw labels, CIDR), ports, egress and denyAll, and the real kube-apiserver's
// server-side dry run of them (nothing written).
import { describe, expect, it } from "vitest";
import { Container, NetworkRulesPolicyRule } from "../../../catalog/index.ts";
import { component, defineModule, policy, rule, workloadType, z } from "../../../dsl/index.ts";
import { formatManifests, render } from "../../../sdk/index.ts";
import { freshNamespace, testClient } from "../cluster/__tests__/helpers.ts";
import { apply } from "../cluster/apply.ts";
import { kubernetesProvider } from "../provider.ts";
import { expectGolden } from "../../../test/golden.ts";

const GOLDEN = new URL("./testdata/network-policies.yaml", import.meta.url);

const module = defineModule({
  metadata: { apiVersion: "example.com/modules@v0", name: "shop", version: "1.0.0" },
  config: z.object({}),
  values: {},
  policies: {
    isolation: policy(
      { appliesTo: { components: ["api", "db"] } },
      rule(NetworkRulesPolicyRule, {
        fromWeb: {
          ingress: [{ from: [{ component: "web" }], ports: [{ port: 8080, protocol: "TCP" }] }],
          denyAll: false,
        },
        monitoring: {
          ingress: [
            { from: [{ matchLabels: { "app.kubernetes.io/name": "prometheus" } }, { cidr: "10.0.0.0/8" }] },
          ],
          egress: [{ to: [{ cidr: "0.0.0.0/0" }], ports: [{ port: 53, protocol: "UDP" }] }],
          denyAll: false,
        },
      }),
    ),
    lockdown: policy(
      { appliesTo: { matchLabels: { tier: "batch" } } },
      rule(NetworkRulesPolicyRule, { none: { denyAll: true } }),
    ),
  },
  components: () => ({
    web: component(workloadType("stateless"), Container({ name: "web", image: "nginx:1.27" })),
    api: component(workloadType("stateless"), Container({ name: "api", image: "ghcr.io/acme/api:2" })),
    db: component(workloadType("stateful"), Container({ name: "db", image: "postgres:17" })),
    jobs: component(
      { labels: { tier: "batch" } },
      workloadType("stateless"),
      Container({ name: "jobs", image: "busybox:1.37" }),
    ),
  }),
});

async function renderShop(namespace: string) {
  const result = await render({ module, provider: kubernetesProvider, namespace });
  expect(result.errors.map(String)).toEqual([]);
  return result;
}

describe("NetworkRules as NetworkPolicy objects", () => {
  it("renders one per selected component and rule, to the golden file", async () => {
    const result = await renderShop("shop");
    const policies = result.resources.filter((r) => r.object.kind === "NetworkPolicy");
    expect(policies.map((r) => `${r.component} ${r.object.metadata?.name} <- ${r.transformer}`)).toEqual([
      "api api-from-web <- opmodel.dev/policies/connectivity@v0#NetworkRules",
      "api api-monitoring <- opmodel.dev/policies/connectivity@v0#NetworkRules",
      "db db-from-web <- opmodel.dev/policies/connectivity@v0#NetworkRules",
      "db db-monitoring <- opmodel.dev/policies/connectivity@v0#NetworkRules",
      "jobs jobs-none <- opmodel.dev/policies/connectivity@v0#NetworkRules",
    ]);
    const yaml = formatManifests(policies);
    expectGolden(yaml, GOLDEN);
  });

  it("passes the real kube-apiserver's server-side dry run, and nothing is written", async () => {
    const client = testClient();
    const namespace = await freshNamespace(client, "netpol");
    const result = await renderShop(namespace);
    const applied = await apply(
      { release: result.release!, resources: result.resources },
      { client, dryRun: "server", wait: false },
    );
    expect(applied.objects.filter((o) => o.id.kind === "NetworkPolicy")).toHaveLength(5);
    const live = await client.json<{ items: unknown[] }>(
      "GET",
      `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies`,
      "networkpolicies",
    );
    expect(live.items).toEqual([]);
  });
});
