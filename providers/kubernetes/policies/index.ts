// The Kubernetes provider's implementations of the catalog's policy rules, keyed by rule FQN
// (docs/policies.md lists them; a test keeps that list and this table in step).
import type { PolicyRuleImplementation } from "../../../sdk/index.ts";
import { noPrivilegedContainers, probesRequired, resourceLimits } from "./containers.ts";
import { allowedRegistries, noLatestImage } from "./images.ts";
import { networkRules } from "./network-policy.ts";
import { noLiteralSecrets } from "./secrets.ts";

const workload = "opmodel.dev/policies/workload@v0#";
const connectivity = "opmodel.dev/policies/connectivity@v0#";

/** FQNs of the policy rules the provider implements. */
export const PolicyRuleFqn = {
  noLatestImage: `${workload}NoLatestImage`,
  allowedRegistries: `${workload}AllowedRegistries`,
  resourceLimits: `${workload}ResourceLimits`,
  noPrivilegedContainers: `${workload}NoPrivilegedContainers`,
  probesRequired: `${workload}ProbesRequired`,
  noLiteralSecrets: `${workload}NoLiteralSecrets`,
  networkRules: `${connectivity}NetworkRules`,
} as const;

/** How the Kubernetes provider enforces each rule it implements, keyed by rule FQN. */
export const kubernetesPolicyRules: Readonly<Record<string, PolicyRuleImplementation>> = {
  [PolicyRuleFqn.allowedRegistries]: allowedRegistries,
  [PolicyRuleFqn.networkRules]: networkRules,
  [PolicyRuleFqn.noLatestImage]: noLatestImage,
  [PolicyRuleFqn.noLiteralSecrets]: noLiteralSecrets,
  [PolicyRuleFqn.noPrivilegedContainers]: noPrivilegedContainers,
  [PolicyRuleFqn.probesRequired]: probesRequired,
  [PolicyRuleFqn.resourceLimits]: resourceLimits,
};
