// The release the cluster benchmarks apply: `count` objects like a real release's mix (10%
// Deployments, 10% Services, 10% Secrets, the rest ConfigMaps), in apply order.
import type { ReleaseInput } from "../providers/kubernetes/cluster/desired.ts";
import type { KubeObject } from "../providers/kubernetes/cluster/objects.ts";
import { compareObjects } from "../sdk/render/order.ts";

export function benchObjects(namespace: string, count: number): { component: string; object: KubeObject }[] {
  const out: { component: string; object: KubeObject }[] = [];
  for (let i = 0; i < count; i++) {
    const component = `c${i % 20}`;
    const name = `obj-${i}`;
    const meta = { name, namespace, labels: { "app.kubernetes.io/name": component } };
    let object: KubeObject;
    if (i % 10 === 0) {
      object = {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: meta,
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: { containers: [{ name: "main", image: "nginx:1.27" }] },
          },
        },
      };
    } else if (i % 10 === 1) {
      object = {
        apiVersion: "v1",
        kind: "Service",
        metadata: meta,
        spec: { selector: { app: name }, ports: [{ port: 80 }] },
      };
    } else if (i % 10 === 2) {
      object = { apiVersion: "v1", kind: "Secret", metadata: meta, stringData: { token: `value-${i}` } };
    } else {
      object = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: meta,
        data: { index: String(i), text: "x".repeat(200) },
      };
    }
    out.push({ component, object });
  }
  const ref = (o: KubeObject) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace,
    name: o.metadata.name,
  });
  return out.sort((a, b) => compareObjects(ref(a.object), ref(b.object)));
}

export function benchRelease(namespace: string, count: number): ReleaseInput {
  return {
    release: {
      name: "bench",
      namespace,
      identity: "7b1c4a52-0d5e-5b55-9a0e-3f1de0c3b001",
      fqn: "bench.opmodel.dev/bench@v0",
      version: "1.0.0",
    },
    resources: benchObjects(namespace, count),
  };
}
