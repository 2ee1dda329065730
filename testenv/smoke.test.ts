// Proves the real parts the suite stands on: a control plane whose workloads become Available
// through kwok, CRDs with unknown-field preservation, an OCI registry that keeps artifactType.
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { kubeRequest } from "./kube-client.ts";
import { startRegistry } from "./registry.ts";

const kubeconfig = () => inject("kubeconfig");
const ns = `smoke-${randomBytes(3).toString("hex")}`;

async function apply(path: string, object: unknown) {
  return kubeRequest(
    kubeconfig(),
    "PATCH",
    `${path}?fieldManager=opm-smoke`,
    object,
    "application/apply-patch+yaml",
  );
}

async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const value = await fn().catch((err: unknown) => ((lastError = err), undefined));
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in time (last error: ${String(lastError)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("control plane", () => {
  beforeAll(async () => {
    const res = await kubeRequest(kubeconfig(), "POST", "/api/v1/namespaces", { metadata: { name: ns } });
    expect(res.status).toBe(201);
  });

  it("server-side applies a Deployment that becomes Available through kwok", async () => {
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: ns },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
        },
      },
    };
    const res = await apply(`/apis/apps/v1/namespaces/${ns}/deployments/web`, deployment);
    expect(res.status).toBe(201);
    type Deployment = {
      status?: { conditions?: { type: string; status: string }[]; readyReplicas?: number };
    };
    const live = await eventually(async () => {
      const got = await kubeRequest<Deployment>(
        kubeconfig(),
        "GET",
        `/apis/apps/v1/namespaces/${ns}/deployments/web`,
      );
      const available = got.body.status?.conditions?.find((c) => c.type === "Available");
      return available?.status === "True" ? got.body : undefined;
    });
    expect(live.status?.readyReplicas).toBe(2);
  });

  it("binds claims of the default storage class, so StatefulSets with volumes become ready", async () => {
    const claim = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", namespace: ns },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    };
    expect((await apply(`/api/v1/namespaces/${ns}/persistentvolumeclaims/data`, claim)).status).toBe(201);
    const statefulSet = {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "db", namespace: ns },
      spec: {
        serviceName: "db",
        replicas: 1,
        selector: { matchLabels: { app: "db" } },
        template: {
          metadata: { labels: { app: "db" } },
          spec: {
            containers: [
              { name: "db", image: "postgres:17", volumeMounts: [{ name: "data", mountPath: "/data" }] },
            ],
            volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data" } }],
          },
        },
      },
    };
    expect((await apply(`/apis/apps/v1/namespaces/${ns}/statefulsets/db`, statefulSet)).status).toBe(201);
    type Claim = { status?: { phase?: string }; spec?: { storageClassName?: string } };
    const bound = await eventually(async () => {
      const got = await kubeRequest<Claim>(
        kubeconfig(),
        "GET",
        `/api/v1/namespaces/${ns}/persistentvolumeclaims/data`,
      );
      return got.body.status?.phase === "Bound" ? got.body : undefined;
    });
    expect(bound.spec?.storageClassName).toBe("standard");
    await eventually(async () => {
      const got = await kubeRequest<{ status?: { readyReplicas?: number } }>(
        kubeconfig(),
        "GET",
        `/apis/apps/v1/namespaces/${ns}/statefulsets/db`,
      );
      return got.body.status?.readyReplicas === 1 ? true : undefined;
    });
  });

  it("serves a CRD whose custom resources keep unknown fields", async () => {
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.smoke.opmodel.dev" },
      spec: {
        group: "smoke.opmodel.dev",
        scope: "Namespaced",
        names: { plural: "widgets", singular: "widget", kind: "Widget" },
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
          },
        ],
      },
    };
    const created = await apply(
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.smoke.opmodel.dev",
      crd,
    );
    expect([200, 201]).toContain(created.status);
    const widget = {
      apiVersion: "smoke.opmodel.dev/v1",
      kind: "Widget",
      metadata: { name: "w1", namespace: ns },
      spec: { size: 3, nested: { anything: ["goes", 1, true] } },
    };
    const path = `/apis/smoke.opmodel.dev/v1/namespaces/${ns}/widgets/w1`;
    // The CRD's endpoint appears a moment after the CRD is accepted.
    const seen: string[] = [];
    await eventually(async () => {
      const res = await apply(path, widget).catch((err: unknown) => {
        seen.push(String(err));
        throw err;
      });
      seen.push(`${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      return res.status === 201 ? true : undefined;
    }, 50_000).catch((err: unknown) => {
      throw new Error(`${String(err)}; responses: ${[...new Set(seen)].join(" | ")}`);
    });
    const got = await kubeRequest<{ spec: unknown }>(kubeconfig(), "GET", path);
    expect(got.body.spec).toEqual({ size: 3, nested: { anything: ["goes", 1, true] } });
  }, 60_000);
});

describe("OCI registry", () => {
  const digest = (data: Buffer | string) => `sha256:${createHash("sha256").update(data).digest("hex")}`;

  async function pushBlob(base: string, repo: string, data: Buffer | string): Promise<string> {
    const d = digest(data);
    const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: "POST" });
    expect(start.status).toBe(202);
    const location = new URL(start.headers.get("location") ?? "", base);
    location.searchParams.set("digest", d);
    const put = await fetch(location, {
      method: "PUT",
      body: data,
      headers: { "content-type": "application/octet-stream" },
    });
    expect(put.status).toBe(201);
    return d;
  }

  it("pushes and pulls an artifact with a custom artifactType", async () => {
    const base = `http://${inject("registry")}`;
    const repo = "opm/smoke/release";
    const layer = JSON.stringify({ hello: "opm" });
    const config = "{}";
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      artifactType: "application/vnd.opm.release.v1+json",
      config: {
        mediaType: "application/vnd.oci.empty.v1+json",
        digest: await pushBlob(base, repo, config),
        size: 2,
      },
      layers: [
        {
          mediaType: "application/vnd.opm.release.layer.v1+json",
          digest: await pushBlob(base, repo, layer),
          size: Buffer.byteLength(layer),
        },
      ],
    });
    const put = await fetch(`${base}/v2/${repo}/manifests/v0.1.0`, {
      method: "PUT",
      body: manifest,
      headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" },
    });
    expect(put.status).toBe(201);
    expect(put.headers.get("docker-content-digest")).toBe(digest(manifest));

    const pulled = await fetch(`${base}/v2/${repo}/manifests/v0.1.0`, {
      headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
    });
    const text = await pulled.text();
    expect(text).toBe(manifest);
    const parsed = JSON.parse(text) as { artifactType: string; layers: { digest: string }[] };
    expect(parsed.artifactType).toBe("application/vnd.opm.release.v1+json");
    const blob = await fetch(`${base}/v2/${repo}/blobs/${parsed.layers[0]?.digest}`);
    expect(await blob.text()).toBe(layer);
  });
});

describe("OCI registry with TLS and basic auth", () => {
  function get(url: string, ca: string, auth?: string) {
    return new Promise<number>((resolve, reject) => {
      const req = httpsRequest(
        url,
        { ca: readFileSync(ca), headers: auth ? { authorization: auth } : {} },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
  }

  it("refuses anonymous requests and accepts its credentials over TLS", async () => {
    const registry = await startRegistry({ secure: true });
    try {
      const auth = registry.auth!;
      expect(registry.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(await get(`${registry.url}/v2/`, auth.caCert)).toBe(401);
      const basic = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
      expect(await get(`${registry.url}/v2/`, auth.caCert, basic)).toBe(200);
      const wrong = `Basic ${Buffer.from(`${auth.username}:nope`).toString("base64")}`;
      expect(await get(`${registry.url}/v2/`, auth.caCert, wrong)).toBe(401);
    } finally {
      await registry.stop();
    }
  });
});
