// Each rule of the library, on a component that complies and one that does not, and each
// enforcement mode (block: a render error with the rule, object and field; warn: a warning;
// audit: only the results). Modules built with the dsl and the real catalog bindings.
import { describe, expect, it } from "vitest";
import {
  AllowedRegistriesPolicyRule,
  Container,
  Expose,
  HealthCheck,
  NoLatestImagePolicyRule,
  NoLiteralSecretsPolicyRule,
  NoPrivilegedContainersPolicyRule,
  ProbesRequiredPolicyRule,
  ResourceLimitsPolicyRule,
  SecurityContext,
} from "../../../catalog/index.ts";
import {
  component,
  defineModule,
  definePolicyRule,
  policy,
  rule,
  workloadType,
  z,
  type ComponentDraft,
  type ComponentPart,
  type PolicyDraft,
} from "../../../dsl/index.ts";
import { toPolicy } from "../../../dsl/policy.ts";
import { plan, render, type ViolationAction } from "../../../sdk/index.ts";
import { kubernetesProvider } from "../provider.ts";
import { parseImage } from "./images.ts";

type Part = ComponentPart<unknown>;

function moduleWith(
  policies: Record<string, PolicyDraft>,
  web: readonly Part[],
  extra: Record<string, ComponentDraft<unknown>> = {},
) {
  return defineModule({
    metadata: { apiVersion: "example.com/policies@v0", name: "guarded", version: "0.1.0" },
    config: z.object({}),
    values: {},
    policies,
    components: () => ({ web: component(workloadType("stateless"), ...web), ...extra }),
  });
}

async function violations(draft: PolicyDraft, web: readonly Part[]) {
  const result = await render({
    module: moduleWith({ guard: draft }, web),
    provider: kubernetesProvider,
    namespace: "apps",
  });
  return result.policies.flatMap((p) =>
    p.violations.map((v) => `${v.object?.kind ?? ""} ${v.field ?? ""}: ${v.message}`),
  );
}

const probe = { httpGet: { path: "/healthz", port: 8080 } };
const good = [
  Container({
    name: "web",
    image: "ghcr.io/acme/web:1.2.3",
    resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi" } },
    env: { LOG_LEVEL: { value: "info" } },
  }),
  SecurityContext({ runAsNonRoot: true, runAsUser: 1000 }),
  HealthCheck({ readinessProbe: probe, livenessProbe: probe }),
  Expose({ type: "ClusterIP", ports: { http: { targetPort: 8080 } } }),
];

const all = { appliesTo: {} };

describe("the rule library on the Kubernetes provider", () => {
  it("passes a component that follows every rule", async () => {
    for (const draft of [
      policy(all, rule(NoLatestImagePolicyRule, {})),
      policy(all, rule(AllowedRegistriesPolicyRule, { registries: ["ghcr.io/acme"] })),
      policy(all, rule(ResourceLimitsPolicyRule, {})),
      policy(all, rule(NoPrivilegedContainersPolicyRule, {})),
      policy(all, rule(ProbesRequiredPolicyRule, {})),
      policy(all, rule(NoLiteralSecretsPolicyRule, {})),
    ]) {
      expect(await violations(draft, good)).toEqual([]);
    }
  });

  it("no-latest-image: untagged and :latest images, and digests when required", async () => {
    const latest = [Container({ name: "web", image: "nginx:latest" })];
    const untagged = [Container({ name: "web", image: "registry.local:5000/team/web" })];
    const c = "spec.template.spec.containers[0].image";
    expect(await violations(policy(all, rule(NoLatestImagePolicyRule, {})), latest)).toEqual([
      `Deployment ${c}: image nginx:latest uses the tag latest`,
    ]);
    expect(await violations(policy(all, rule(NoLatestImagePolicyRule, {})), untagged)).toEqual([
      `Deployment ${c}: image registry.local:5000/team/web has no tag, so it runs whatever latest is`,
    ]);
    expect(
      await violations(policy(all, rule(NoLatestImagePolicyRule, { requireDigest: true })), good),
    ).toEqual([`Deployment ${c}: image ghcr.io/acme/web:1.2.3 has no digest`]);
    const pinned = [Container({ name: "web", image: `nginx@sha256:${"a".repeat(64)}` })];
    expect(
      await violations(policy(all, rule(NoLatestImagePolicyRule, { requireDigest: true })), pinned),
    ).toEqual([]);
  });

  it("allowed-registries: hosts and repository prefixes; docker.io for bare names", async () => {
    const bare = [Container({ name: "web", image: "nginx:1.27" })];
    const spec = { registries: ["ghcr.io/acme", "quay.io"] };
    expect(await violations(policy(all, rule(AllowedRegistriesPolicyRule, spec)), bare)).toEqual([
      "Deployment spec.template.spec.containers[0].image: image nginx:1.27 (docker.io/library/nginx) is from none of the allowed registries ghcr.io/acme, quay.io",
    ]);
    const other = [Container({ name: "web", image: "ghcr.io/acmecorp/web:1" })];
    expect(await violations(policy(all, rule(AllowedRegistriesPolicyRule, spec)), other)).toHaveLength(1);
    const quay = [Container({ name: "web", image: "quay.io/x/y:1" })];
    expect(await violations(policy(all, rule(AllowedRegistriesPolicyRule, spec)), quay)).toEqual([]);
    expect(parseImage("localhost:5000/web:1")).toEqual({
      host: "localhost:5000",
      repository: "web",
      tag: "1",
    });
    expect(parseImage("acme/web")).toEqual({ host: "docker.io", repository: "acme/web" });
  });

  it("resource-limits: each missing request and limit, by field", async () => {
    const bare = [Container({ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "10m" } } })];
    expect(await violations(policy(all, rule(ResourceLimitsPolicyRule, {})), bare)).toEqual([
      "Deployment spec.template.spec.containers[0].resources.requests.memory: container web declares no memory request",
      "Deployment spec.template.spec.containers[0].resources.limits.memory: container web declares no memory limit",
    ]);
    const onlyCpu = { requests: ["cpu" as const], limits: [] };
    expect(await violations(policy(all, rule(ResourceLimitsPolicyRule, onlyCpu)), bare)).toEqual([]);
  });

  it("no-privileged-containers: privileged, escalation and root", async () => {
    const root = [
      Container({ name: "web", image: "nginx:1.27" }),
      SecurityContext({ runAsNonRoot: false, runAsUser: 0, allowPrivilegeEscalation: true }),
    ];
    expect(await violations(policy(all, rule(NoPrivilegedContainersPolicyRule, {})), root)).toEqual([
      "Deployment spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation: container web may escalate its privileges",
      "Deployment spec.template.spec.containers[0].securityContext.runAsUser: container web runs as root (UID 0)",
    ]);
    const undeclared = [Container({ name: "web", image: "nginx:1.27" })];
    expect(await violations(policy(all, rule(NoPrivilegedContainersPolicyRule, {})), undeclared)).toEqual([
      "Deployment spec.template.spec.containers[0].securityContext.runAsNonRoot: container web may run as root: neither runAsNonRoot nor a non-zero runAsUser is set",
    ]);
    expect(
      await violations(policy(all, rule(NoPrivilegedContainersPolicyRule, { allowRoot: true })), undeclared),
    ).toEqual([]);
  });

  it("probes-required: only components that expose a Service", async () => {
    const exposed = [
      Container({ name: "web", image: "nginx:1.27" }),
      Expose({ type: "ClusterIP", ports: { http: { targetPort: 80 } } }),
    ];
    expect(await violations(policy(all, rule(ProbesRequiredPolicyRule, {})), exposed)).toEqual([
      "Deployment spec.template.spec.containers[0].readinessProbe: container web of a component that exposes a Service has no readiness probe",
      "Deployment spec.template.spec.containers[0].livenessProbe: container web of a component that exposes a Service has no liveness probe",
    ]);
    const internal = [Container({ name: "web", image: "nginx:1.27" })];
    expect(await violations(policy(all, rule(ProbesRequiredPolicyRule, {})), internal)).toEqual([]);
  });

  it("no-literal-secrets: credential-like env values, never printing the value", async () => {
    const leaky = [
      Container({
        name: "web",
        image: "nginx:1.27",
        env: {
          DB_PASSWORD: { value: "hunter2-canary" },
          API_TOKEN: { value: "t0k3n-canary" },
          MODE: { value: "prod" },
        },
      }),
    ];
    const found = await violations(policy(all, rule(NoLiteralSecretsPolicyRule, {})), leaky);
    expect(found).toEqual([
      "Deployment spec.template.spec.containers[0].env[0].value: env API_TOKEN of container web looks like a credential and is a plain value",
      "Deployment spec.template.spec.containers[0].env[1].value: env DB_PASSWORD of container web looks like a credential and is a plain value",
    ]);
    expect(found.join("\n")).not.toMatch(/canary/);
    const renamed = { credentialNames: ["mode"] };
    expect(await violations(policy(all, rule(NoLiteralSecretsPolicyRule, renamed)), leaky)).toHaveLength(1);
  });
});

describe("enforcement", () => {
  const latest = [Container({ name: "web", image: "nginx:latest" })];

  async function renderWith(onViolation: ViolationAction | undefined) {
    const draft = policy(
      { appliesTo: {}, ...(onViolation === undefined ? {} : { onViolation }) },
      rule(NoLatestImagePolicyRule, {}),
    );
    return render({
      module: moduleWith({ pinned: draft }, latest),
      provider: kubernetesProvider,
      namespace: "apps",
    });
  }

  it("block (the rule's default): a render error naming the rule, the object and the field", async () => {
    const result = await renderWith(undefined);
    expect(result.errors.map((e) => `${e.code} ${e.message}`)).toEqual([
      "OPM3101 policy pinned rule no-latest-image (block): component web, Deployment web in namespace apps, field spec.template.spec.containers[0].image: image nginx:latest uses the tag latest",
    ]);
    expect(result.errors[0]!.hint).toMatch(/pin the image/);
    expect(result.errors[0]!.details).toMatchObject({
      policy: "pinned",
      rule: NoLatestImagePolicyRule.metadata.fqn,
      component: "web",
      object: { kind: "Deployment", name: "web", namespace: "apps" },
      field: "spec.template.spec.containers[0].image",
    });
  });

  it("warn: a warning, the render goes on", async () => {
    const result = await renderWith("warn");
    expect(result.errors).toEqual([]);
    expect(result.resources).toHaveLength(1);
    expect(result.warnings.map((w) => w.code)).toEqual(["OPM3101"]);
    expect(result.warnings[0]!.message).toMatch(
      /^policy pinned rule no-latest-image \(warn\): component web/,
    );
  });

  it("audit: recorded in the results only", async () => {
    const result = await renderWith("audit");
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.policies).toEqual([
      {
        policy: "pinned",
        source: "module",
        rule: NoLatestImagePolicyRule.metadata.fqn,
        onViolation: "audit",
        enforcedBy: "provider",
        components: ["web"],
        violations: [
          {
            component: "web",
            object: { apiVersion: "apps/v1", kind: "Deployment", namespace: "apps", name: "web" },
            field: "spec.template.spec.containers[0].image",
            message: "image nginx:latest uses the tag latest",
          },
        ],
      },
    ]);
  });

  it("scopes by component name and by labels; the others are not checked", async () => {
    const worker = component(
      { labels: { tier: "batch" } },
      workloadType("stateless"),
      Container({ name: "worker", image: "busybox" }),
    );
    const byName = policy({ appliesTo: { components: ["web"] } }, rule(NoLatestImagePolicyRule, {}));
    const byLabel = policy(
      { appliesTo: { matchLabels: { tier: "batch" } } },
      rule(NoLatestImagePolicyRule, {}),
    );
    const module = moduleWith({ a: byName, b: byLabel }, good, { worker });
    const result = await render({ module, provider: kubernetesProvider, namespace: "apps" });
    expect(
      result.policies.map((p) => [p.policy, p.components, p.violations.map((v) => v.component)]),
    ).toEqual([
      ["a", ["web"], []],
      ["b", ["worker"], ["worker"]],
    ]);
  });

  it("a rule written in TS: its own check, typed by its spec", async () => {
    const TeamLabel = definePolicyRule<"team-label", { key: string }>({
      metadata: { apiVersion: "example.com/policies@v0", name: "team-label" },
      enforcement: { mode: "deployment", onViolation: "block" },
      check: ({ objects, spec }) =>
        objects
          .filter(
            (o) => (o.metadata?.["labels"] as Record<string, string> | undefined)?.[spec.key] === undefined,
          )
          .map((o) => ({ object: o, field: `metadata.labels.${spec.key}`, message: `no ${spec.key} label` })),
    });
    const result = await render({
      module: moduleWith({ team: policy(all, rule(TeamLabel, { key: "team" })) }, good),
      provider: kubernetesProvider,
      namespace: "apps",
    });
    expect(result.policies[0]!.enforcedBy).toBe("rule");
    expect(result.errors.map((e) => e.message)).toEqual([
      "policy team rule team-label (block): component web, Service web in namespace apps, field metadata.labels.team: no team label",
      "policy team rule team-label (block): component web, Deployment web in namespace apps, field metadata.labels.team: no team label",
    ]);
  });

  it("a rule nobody implements is a warning, and a check that throws an error", async () => {
    const Unknown = definePolicyRule({
      metadata: { apiVersion: "example.com/policies@v0", name: "nobody" },
      enforcement: { mode: "deployment", onViolation: "block" },
    });
    const Broken = definePolicyRule({
      metadata: { apiVersion: "example.com/policies@v0", name: "broken" },
      enforcement: { mode: "deployment", onViolation: "block" },
      check: () => {
        throw new Error("boom");
      },
    });
    const module = moduleWith({ p: policy(all, rule(Unknown, {}), rule(Broken, {})) }, good);
    const result = await render({ module, provider: kubernetesProvider, namespace: "apps" });
    expect(result.warnings.map((w) => `${w.code} ${w.message}`)).toEqual([
      "OPM3102 policy p: rule example.com/policies@v0#Nobody is not enforced: it has no check and provider has no implementation of it",
    ]);
    expect(result.errors.map((e) => `${e.code} ${e.message}`)).toEqual([
      "OPM3103 policy p: rule example.com/policies@v0#Broken failed on component web: boom",
    ]);
    const planned = await plan({ module, provider: kubernetesProvider, namespace: "apps" });
    expect(planned.policies.map((p) => [p.rule, p.enforcedBy, p.components])).toEqual([
      ["example.com/policies@v0#Broken", "rule", ["web"]],
      ["example.com/policies@v0#Nobody", "none", ["web"]],
    ]);
  });

  it("platform policies apply to every module beside its own", async () => {
    const module = moduleWith({}, latest);
    const platform = toPolicy(policy(all, rule(NoLatestImagePolicyRule, {})), "baseline");
    const result = await render({
      module,
      provider: kubernetesProvider,
      namespace: "apps",
      policies: [platform],
    });
    expect(result.errors.map((e) => e.message)).toEqual([
      "platform policy baseline rule no-latest-image (block): component web, Deployment web in namespace apps, field spec.template.spec.containers[0].image: image nginx:latest uses the tag latest",
    ]);
    expect(result.policies[0]!.source).toBe("platform");
  });

  it("an invalid spec is an error naming the policy and the path", async () => {
    const draft = policy(all, rule(AllowedRegistriesPolicyRule, { registries: [] }));
    const result = await render({
      module: moduleWith({ reg: draft }, good),
      provider: kubernetesProvider,
      namespace: "apps",
    });
    expect(result.errors.map((e) => e.code)).toEqual(["OPM3008"]);
    expect(result.errors[0]!.message).toMatch(
      /^policy reg: rule allowed-registries: spec\.allowedRegistries\.registries: /,
    );
  });
});
