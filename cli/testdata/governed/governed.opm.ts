// A module whose policy depends on its values (docs/policies.md, "Policies from values"): the
// user chooses which rules the `images` policy holds (pinned images, allowed registries), the
// components it applies to (by tier) and what a violation does. cue/ holds the same module in
// CUE, where the policy reads #config; cli/commands/mod/policies-values.test.ts requires the same
// results from both.
import { z } from "zod";
import { AllowedRegistriesPolicyRule, Container, Expose, NoLatestImagePolicyRule } from "@opm/sdk/catalog";
import { component, defineModule, policy, rule, workloadType } from "@opm/sdk/dsl";

const config = z.object({
  image: z.string(),
  policy: z.object({
    tier: z.enum(["frontend", "backend"]).default("frontend"),
    mode: z.enum(["block", "warn", "audit"]).default("block"),
    pinImages: z.boolean().default(true),
    requireDigest: z.boolean().default(false),
    registries: z.array(z.string()).default([]),
  }),
});

export default defineModule({
  metadata: { apiVersion: "example.com/modules@v0", name: "governed", version: "0.1.0" },
  config,
  values: { image: "nginx:1.27", policy: {} },
  policies: ({ policy: p }) => ({
    images: policy(
      { appliesTo: { matchLabels: { tier: p.tier } }, onViolation: p.mode },
      ...(p.pinImages ? [rule(NoLatestImagePolicyRule, { requireDigest: p.requireDigest })] : []),
      ...(p.registries.length > 0 ? [rule(AllowedRegistriesPolicyRule, { registries: p.registries })] : []),
    ),
  }),
  components: ({ image }) => ({
    web: component({ labels: { tier: "frontend" } }, workloadType("stateless"), Container({ name: "web", image })),
    api: component(
      { labels: { tier: "backend" } },
      workloadType("stateless"),
      Container({ name: "api", image: "ghcr.io/acme/api:2.0.1", ports: { http: { targetPort: 8080 } } }),
      Expose({ type: "ClusterIP", ports: { http: { targetPort: 8080 } } }),
    ),
  }),
});
