// A module with policies (docs/policies.md): a pinned-image rule that blocks, probes required
// of the backend that only warns, and network rules rendered into a NetworkPolicy. cue/ holds
// the same module in CUE; cli/commands/mod/policies.test.ts requires the same results from both.
import { z } from "zod";
import {
  Container,
  Expose,
  NetworkRulesPolicyRule,
  NoLatestImagePolicyRule,
  ProbesRequiredPolicyRule,
} from "@opm/sdk/catalog";
import { component, defineModule, policy, rule, workloadType } from "@opm/sdk/dsl";

export default defineModule({
  metadata: { apiVersion: "example.com/modules@v0", name: "guarded", version: "0.1.0" },
  config: z.object({ image: z.string() }),
  values: { image: "nginx:1.27" },
  policies: {
    pinned: policy({ appliesTo: {} }, rule(NoLatestImagePolicyRule, {})),
    probes: policy(
      { appliesTo: { matchLabels: { tier: "backend" } }, onViolation: "warn" },
      rule(ProbesRequiredPolicyRule, {}),
    ),
    network: policy(
      { appliesTo: { components: ["api"] } },
      rule(NetworkRulesPolicyRule, {
        fromWeb: { ingress: [{ from: [{ component: "web" }], ports: [{ port: 8080, protocol: "TCP" }] }], denyAll: false },
      }),
    ),
  },
  components: ({ image }) => ({
    web: component(workloadType("stateless"), Container({ name: "web", image })),
    api: component(
      { labels: { tier: "backend" } },
      workloadType("stateless"),
      Container({ name: "api", image: "ghcr.io/acme/api:2.0.1", ports: { http: { targetPort: 8080 } } }),
      Expose({ type: "ClusterIP", ports: { http: { targetPort: 8080 } } }),
    ),
  }),
});
