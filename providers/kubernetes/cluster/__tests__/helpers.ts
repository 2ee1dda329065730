// Shared test material: a client for the suite's control plane, a namespace per test, and small
// releases built from plain objects (the render pipeline has its own tests).
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { ClusterClient } from "../client.ts";
import type { ReleaseInput } from "../desired.ts";
import type { KubeObject } from "../objects.ts";

export function testClient(): ClusterClient {
  return ClusterClient.fromKubeconfig({ paths: [inject("kubeconfig")] });
}

export async function freshNamespace(client: ClusterClient, prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString("hex")}`;
  await client.json("POST", "/api/v1/namespaces", `namespace ${name}`, {
    body: { apiVersion: "v1", kind: "Namespace", metadata: { name } },
  });
  return name;
}

export function configMap(name: string, data: Record<string, string> = { key: "value" }): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data };
}

export function deployment(
  name: string,
  extra: { replicas?: number; nodeSelector?: Record<string, string>; image?: string } = {},
): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels: { "app.kubernetes.io/name": name } },
    spec: {
      replicas: extra.replicas ?? 1,
      selector: { matchLabels: { "app.kubernetes.io/name": name } },
      template: {
        metadata: { labels: { "app.kubernetes.io/name": name } },
        spec: {
          containers: [{ name: "main", image: extra.image ?? "nginx:1.27" }],
          ...(extra.nodeSelector === undefined ? {} : { nodeSelector: extra.nodeSelector }),
        },
      },
    },
  };
}

export function statefulSet(name: string): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name, labels: { "app.kubernetes.io/name": name } },
    spec: {
      replicas: 1,
      serviceName: name,
      selector: { matchLabels: { "app.kubernetes.io/name": name } },
      template: {
        metadata: { labels: { "app.kubernetes.io/name": name } },
        spec: { containers: [{ name: "main", image: "nginx:1.27" }] },
      },
    },
  };
}

export function pvc(name: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
  };
}

export function service(name: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name },
    spec: { selector: { "app.kubernetes.io/name": name }, ports: [{ name: "http", port: 80 }] },
  };
}

const ORDER: Record<string, number> = {
  ConfigMap: 15,
  Secret: 15,
  Service: 50,
  Deployment: 100,
  StatefulSet: 100,
  Job: 110,
};

/** A release of `objects` (each `[component, object]`), sorted into apply order. */
export function release(
  name: string,
  namespace: string,
  objects: [string, KubeObject][],
  version = "1.0.0",
): ReleaseInput {
  const sorted = [...objects].sort(
    ([, a], [, b]) =>
      (ORDER[a.kind] ?? 1000) - (ORDER[b.kind] ?? 1000) ||
      a.kind.localeCompare(b.kind) ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
  return {
    release: {
      name,
      namespace,
      identity: uuidFor(name, namespace),
      fqn: "example.com/modules/test@v0",
      version,
    },
    resources: sorted.map(([component, object]) => ({
      component,
      object: { ...object, metadata: { ...object.metadata, namespace } },
    })),
  };
}

function uuidFor(name: string, namespace: string): string {
  const hex = Buffer.from(`${name}.${namespace}`).toString("hex").padEnd(32, "0").slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Created in every namespace by the controller manager, at a moment of its choosing. */
export const SYSTEM_CONFIGMAP = "kube-root-ca.crt";

/** Names of objects of a kind in a namespace (without the system ConfigMap). */
export async function names(client: ClusterClient, path: string): Promise<string[]> {
  const list = await client.json<{ items: KubeObject[] }>("GET", path, path);
  return list.items
    .map((i) => i.metadata.name)
    .filter((n) => n !== SYSTEM_CONFIGMAP)
    .sort();
}
