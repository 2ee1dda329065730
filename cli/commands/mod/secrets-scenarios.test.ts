// The secrets and config RFC scenarios (RFC-0002, -0005, -0003) through `opm mod apply` against
// the suite's control plane, on examples/secrets: env from a literal secret, from an existing
// Secret and from External Secrets (the ExternalSecret applied and read back; the operator itself
// cannot run here, so nothing turns it into a Secret), envFrom, a mounted secret, and an immutable
// ConfigMap change that rolls the Deployment while the previous generation stays until the
// rollout is over. The password never appears in what the CLI prints.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { installExternalSecretsCrd } from "../../../testenv/external-secrets-crd.ts";
import { kubeRequest } from "../../../testenv/kube-client.ts";
import { run } from "../../__tests__/run.ts";

const module = "examples/secrets/secrets.opm.ts";
const values = "examples/secrets/values.yaml";
const PASSWORD = "correct-horse-battery-staple";
const env = () => ({ KUBECONFIG: inject("kubeconfig") });
const ns = `secrets-${randomBytes(3).toString("hex")}`;

async function get<T>(path: string): Promise<T> {
  const res = await kubeRequest<T>(inject("kubeconfig"), "GET", path);
  expect(res.status, path).toBe(200);
  return res.body;
}

interface Pod {
  containers: { env: { name: string; valueFrom?: unknown }[]; envFrom: unknown[] }[];
  volumes: unknown[];
}

const configMapNames = async () =>
  (await get<{ items: { metadata: { name: string } }[] }>(`/api/v1/namespaces/${ns}/configmaps`)).items
    .map((i) => i.metadata.name)
    .filter((n) => n.startsWith("settings-"))
    .sort();

describe("secrets and config on the cluster (examples/secrets)", () => {
  beforeAll(async () => {
    const kubeconfig = inject("kubeconfig");
    await installExternalSecretsCrd(kubeconfig);
    expect(
      (await kubeRequest(kubeconfig, "POST", "/api/v1/namespaces", { metadata: { name: ns } })).status,
    ).toBe(201);
    // The existing Secret the paymentKey reference names, as an operator would have created it.
    const existing = await kubeRequest(kubeconfig, "POST", `/api/v1/namespaces/${ns}/secrets`, {
      metadata: { name: "payment-provider" },
      stringData: { "api-key": "pk-live-elsewhere" },
    });
    expect(existing.status).toBe(201);
  }, 60_000);

  it("applies every secret variant and wiring, and reads them back", async () => {
    const applied = await run(["mod", "apply", module, "-f", values, "-n", ns, "--timeout", "90s"], {
      env: env(),
    });
    expect(applied.err).not.toContain("error");
    expect(applied.code).toBe(0);
    expect(`${applied.out}${applied.err}`).not.toContain(PASSWORD);

    // Literal -> a Secret with both keys; existing Secret -> nothing rendered; ESO -> ExternalSecret.
    const db = await get<{ data: Record<string, string> }>(`/api/v1/namespaces/${ns}/secrets/db`);
    expect(Buffer.from(db.data["password"]!, "base64").toString()).toBe(PASSWORD);
    expect(Buffer.from(db.data["user"]!, "base64").toString()).toBe("shop");
    const payment = await get<{ metadata: { labels?: Record<string, string> } }>(
      `/api/v1/namespaces/${ns}/secrets/payment-provider`,
    );
    expect(payment.metadata.labels?.["app.kubernetes.io/managed-by"]).toBeUndefined();
    const license = await get<{ spec: unknown }>(
      `/apis/external-secrets.io/v1/namespaces/${ns}/externalsecrets/license`,
    );
    expect(license.spec).toEqual({
      refreshInterval: "1h",
      secretStoreRef: { name: "vault", kind: "ClusterSecretStore" },
      target: { name: "license", creationPolicy: "Owner" },
      data: [{ secretKey: "token", remoteRef: { key: "shop/license", property: "token" } }],
    });

    // The Deployment reads each through secretKeyRef, never a value.
    const deployment = await get<{ spec: { template: { spec: Pod } } }>(
      `/apis/apps/v1/namespaces/${ns}/deployments/api`,
    );
    const pod = deployment.spec.template.spec;
    const byName = Object.fromEntries(pod.containers[0]!.env.map((e) => [e.name, e.valueFrom]));
    expect(byName["DB_PASSWORD"]).toEqual({ secretKeyRef: { name: "db", key: "password" } });
    expect(byName["PAYMENT_API_KEY"]).toEqual({ secretKeyRef: { name: "payment-provider", key: "api-key" } });
    expect(byName["LICENSE_TOKEN"]).toEqual({ secretKeyRef: { name: "license", key: "token" } });
    expect(byName["POD_NAME"]).toEqual({ fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } });
    expect(pod.containers[0]!.env.every((e) => !("value" in e))).toBe(true);
    expect(pod.containers[0]!.envFrom).toEqual([
      { prefix: "APP_", configMapRef: { name: "settings-78f06a6724" } },
    ]);
    expect(pod.volumes).toContainEqual({
      name: "tls",
      secret: { secretName: "tls", items: [{ key: "tls.key", path: "tls.key" }], defaultMode: 256 },
    });
    const settings = await get<{ immutable?: boolean; data: Record<string, string> }>(
      `/api/v1/namespaces/${ns}/configmaps/settings-78f06a6724`,
    );
    expect(settings).toMatchObject({ immutable: true, data: { log_level: "info", max_retries: "3" } });
  }, 120_000);

  it("an immutable ConfigMap change rolls the Deployment; the old one goes once the rollout is over", async () => {
    const change = ["mod", "apply", module, "-f", values, "-n", ns, "--set", "logLevel=debug"];
    const rolling = await run([...change, "--no-wait"], { env: env() });
    expect(rolling.code).toBe(0);
    // Both generations while the old pods may still read the first.
    expect(await configMapNames()).toEqual([
      "settings-78f06a6724",
      expect.stringMatching(/^settings-[0-9a-f]{10}$/),
    ]);
    const [, next] = await configMapNames();
    const deployment = await get<{ spec: { template: { spec: Pod } } }>(
      `/apis/apps/v1/namespaces/${ns}/deployments/api`,
    );
    expect(deployment.spec.template.spec.containers[0]!.envFrom).toEqual([
      { prefix: "APP_", configMapRef: { name: next } },
    ]);

    // With --wait the rollout finishes (kwok makes the new pods ready) and the old one is pruned.
    const settled = await run([...change, "--timeout", "90s"], { env: env() });
    expect(settled.code).toBe(0);
    expect(await configMapNames()).toEqual([next]);
  }, 180_000);
});
