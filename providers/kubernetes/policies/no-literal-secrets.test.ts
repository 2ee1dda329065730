// NoLiteralSecrets against every variant of a secret of the module's config, wired the ways the
// catalog allows: env `from`, a mounted secret volume, and the SimpleDatabase blueprint's
// password. A secret that reaches a container through secretKeyRef is never a plain-env finding;
// a credential written as a plain env value always is; the Secret a literal renders is flagged
// only in the rule's strict default (allowLiteralSecrets: false). Values are never printed.
import { describe, expect, it } from "vitest";
import { Container, NoLiteralSecretsPolicyRule, SimpleDatabase, Volumes } from "../../../catalog/index.ts";
import { component, defineModule, policy, rule, secret, workloadType, z } from "../../../dsl/index.ts";
import { render } from "../../../sdk/index.ts";
import { kubernetesProvider } from "../provider.ts";

const CANARY = "canary-c4n4ry-value";

const config = z.object({
  db: secret({ name: "db", key: "password" }),
  payment: secret({ name: "payment", key: "api-key" }),
  license: secret({ name: "license", key: "token" }),
  tls: secret({ name: "tls", key: "tls.key" }),
});

type Values = z.input<typeof config>;

const literal = { value: CANARY };
const existing = { secretName: "payment-provider", remoteKey: "api-key" };
const eso = { externalSecret: { store: "vault", remoteKey: "shop/license" } };

function guarded(values: Values, options: { allowLiteralSecrets?: boolean; plainPassword?: string } = {}) {
  const { plainPassword, ...spec } = options;
  return defineModule({
    metadata: { apiVersion: "example.com/policies@v0", name: "guarded", version: "0.1.0" },
    config,
    values,
    policies: {
      guard: policy({ appliesTo: {}, onViolation: "warn" }, rule(NoLiteralSecretsPolicyRule, spec)),
    },
    components: (cfg) => ({
      api: component(
        workloadType("stateless"),
        Container({
          name: "api",
          image: "ghcr.io/acme/api:1.0.0",
          env: {
            DB_PASSWORD: { from: cfg.db },
            PAYMENT_API_KEY: { from: cfg.payment },
            LICENSE_TOKEN: { from: cfg.license },
            ...(plainPassword === undefined ? {} : { ADMIN_PASSWORD: { value: plainPassword } }),
          },
          volumeMounts: { tls: { secret: { from: cfg.tls }, mountPath: "/etc/tls", readOnly: true } },
        }),
        Volumes({ tls: { secret: { from: cfg.tls } } }),
      ),
      db: component(
        SimpleDatabase({
          engine: "postgres",
          version: "17",
          dbName: "app",
          username: "app",
          password: cfg.db,
        }),
      ),
    }),
  });
}

async function findings(module: Parameters<typeof render>[0]["module"]): Promise<string[]> {
  const result = await render({ module, provider: kubernetesProvider, namespace: "apps" });
  expect(result.errors.map(String)).toEqual([]);
  const out = result.policies.flatMap((p) =>
    p.violations.map((v) => `${v.object?.kind ?? ""}/${v.object?.name ?? ""} ${v.field ?? ""}: ${v.message}`),
  );
  expect([...out, ...result.warnings.map(String)].join("\n")).not.toContain(CANARY);
  return out;
}

describe("NoLiteralSecrets and the variants of #Secret", () => {
  it("a secret wired through secretKeyRef is never a plain-env finding, in any variant", async () => {
    for (const variant of [literal, existing, eso]) {
      const values = { db: variant, payment: variant, license: variant, tls: variant } as Values;
      const found = await findings(guarded(values, { allowLiteralSecrets: true }));
      expect(found, JSON.stringify(variant)).toEqual([]);
    }
  });

  it("the strict default flags the Secret a literal renders (by key), never references", async () => {
    const found = await findings(guarded({ db: literal, payment: existing, license: eso, tls: literal }));
    expect(found).toEqual([
      "Secret/db data.password: Secret db carries a literal value under password",
      "Secret/tls data.tls.key: Secret tls carries a literal value under tls.key",
    ]);
    expect(await findings(guarded({ db: existing, payment: existing, license: eso, tls: existing }))).toEqual(
      [],
    );
  });

  it("a credential written as a plain env value is flagged, beside secrets that are not", async () => {
    const values = { db: literal, payment: existing, license: eso, tls: existing } as Values;
    const found = await findings(guarded(values, { allowLiteralSecrets: true, plainPassword: CANARY }));
    expect(found).toEqual([
      "Deployment/api spec.template.spec.containers[0].env[0].value: env ADMIN_PASSWORD of container api looks like a credential and is a plain value",
    ]);
  });

  it("SimpleDatabase wires a #Secret password through secretKeyRef; upstream v0's plain string is flagged", async () => {
    const values = { db: literal, payment: existing, license: eso, tls: existing } as Values;
    const result = await render({ module: guarded(values), provider: kubernetesProvider, namespace: "apps" });
    const statefulSet = result.resources.find((r) => r.object.kind === "StatefulSet")!.object;
    expect(JSON.stringify(statefulSet)).not.toContain(CANARY);
    expect(JSON.stringify(statefulSet)).toContain(
      '{"name":"POSTGRES_PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}',
    );

    const upstream = defineModule({
      metadata: { apiVersion: "example.com/policies@v0", name: "upstream", version: "0.1.0" },
      config: z.object({}),
      values: {},
      policies: {
        guard: policy({ appliesTo: {}, onViolation: "warn" }, rule(NoLiteralSecretsPolicyRule, {})),
      },
      components: () => ({
        db: component(
          SimpleDatabase({
            engine: "mysql",
            version: "8.4",
            dbName: "app",
            username: "app",
            password: CANARY,
          }),
        ),
      }),
    });
    expect(await findings(upstream)).toEqual([
      "StatefulSet/db spec.template.spec.containers[0].env[1].value: env MYSQL_PASSWORD of container mysql looks like a credential and is a plain value",
    ]);
  });
});
