// The Secrets a module asks for. Secrets found in the checked values (at any depth), and those
// written inline in a component's spec (an env `from`, a blueprint's password), are grouped by
// `$secretName` into one component, `opm-secrets`, made of the catalog's Secrets resource (named
// here by FQN: sdk imports no catalog), whose transformer dispatches each entry by variant:
// literal -> Secret data, reference to an existing Secret -> nothing, External Secrets
// reference -> ExternalSecret. Upstream's v1alpha1 injected the same component (`#AutoSecrets`).
import type { OpmError } from "../errors.ts";
import { brand } from "../ir/brand.ts";
import type { Component } from "../ir/component.ts";
import type { ResourceDef } from "../ir/definitions.ts";
import { findComponentSecrets, findSecrets, groupSecrets } from "../values/secrets.ts";

/** The name of the component that renders the config's Secrets; modules cannot use it. */
export const CONFIG_SECRETS_COMPONENT = "opm-secrets";

const secretsResource: ResourceDef = brand("Resource", {
  kind: "Resource",
  metadata: {
    apiVersion: "opmodel.dev/resources/config@v0",
    name: "secrets",
    fqn: "opmodel.dev/resources/config@v0#Secrets",
    description: "Secrets owned by the component, keyed by name; data is base64-encoded.",
  },
  specKey: "secrets",
});

/**
 * The `opm-secrets` component for the secrets in `values` and those written inline in the
 * `components`' specs, or none when there are none.
 */
export function configSecretsComponent(
  values: unknown,
  components: Readonly<Record<string, Component>> = {},
): { component?: Component; errors: OpmError[] } {
  const { groups, errors } = groupSecrets([...findSecrets(values), ...findComponentSecrets(components)]);
  const names = Object.keys(groups).sort();
  if (names.length === 0 || errors.length > 0) return { errors };
  const secrets = Object.fromEntries(names.map((name) => [name, { data: groups[name]! }]));
  const component: Component = brand("Component", {
    kind: "Component",
    metadata: { name: CONFIG_SECRETS_COMPONENT, labels: {}, annotations: {} },
    resources: { [secretsResource.metadata.fqn]: secretsResource },
    traits: {},
    blueprints: {},
    spec: { secrets },
  });
  return { component, errors };
}
