// Ordering of rendered objects (docs/architecture.md, decision 8):
// weight from upstream's table, then API group, kind, namespace, name. Apply goes ascending,
// delete descending.
import { groupOf, type ObjectRef } from "../identity/objects.ts";

const WEIGHT_BY_KIND: Readonly<Record<string, number>> = {
  CustomResourceDefinition: -100,
  Namespace: 0,
  ClusterRole: 5,
  ClusterRoleBinding: 5,
  ServiceAccount: 10,
  Role: 10,
  RoleBinding: 10,
  Secret: 15,
  ConfigMap: 15,
  StorageClass: 20,
  PersistentVolume: 20,
  PersistentVolumeClaim: 20,
  Service: 50,
  Deployment: 100,
  StatefulSet: 100,
  DaemonSet: 100,
  ReplicaSet: 100,
  Job: 110,
  CronJob: 110,
  Ingress: 150,
  NetworkPolicy: 150,
  HorizontalPodAutoscaler: 200,
  VerticalPodAutoscaler: 200,
  PodDisruptionBudget: 200,
  ValidatingWebhookConfiguration: 500,
  MutatingWebhookConfiguration: 500,
};

/** Custom resources and anything unknown go last. */
export const DEFAULT_WEIGHT = 1000;

/**
 * A kind's apply weight from upstream's table (CRDs first, Namespaces, RBAC, Secrets and ConfigMaps, storage,
 * Services, workloads, then Ingress, autoscalers and webhooks); unknown kinds and custom resources get {@link
 * DEFAULT_WEIGHT}. Lower applies first; delete and prune go in reverse.
 */
export function weightOf(kind: string): number {
  return WEIGHT_BY_KIND[kind] ?? DEFAULT_WEIGHT;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The render order (docs/architecture.md, decision 8): weight, then API group, kind, namespace and name; the
 * API version takes no part. A comparator for `Array.prototype.sort`.
 */
export function compareObjects(a: ObjectRef, b: ObjectRef): number {
  return (
    weightOf(a.kind) - weightOf(b.kind) ||
    compareText(groupOf(a.apiVersion), groupOf(b.apiVersion)) ||
    compareText(a.kind, b.kind) ||
    compareText(a.namespace, b.namespace) ||
    compareText(a.name, b.name)
  );
}
