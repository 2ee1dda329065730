// What a rendered object needs to exist before it: the objects its pod template names
// (ConfigMaps, Secrets, ServiceAccounts, PersistentVolumeClaims), the CustomResourceDefinition of
// a custom resource, and the Namespace it lives in. Read from the object's own fields, never
// from a cluster: the stage planner (stages.ts) turns these into edges when the target is in the
// same render, and ignores them otherwise (an existing ConfigMap needs no ordering).
import { groupOf } from "../identity/objects.ts";

/** A kind and name an object refers to, in the object's own namespace. */
export interface NamedReference {
  readonly kind: "ConfigMap" | "Secret" | "ServiceAccount" | "PersistentVolumeClaim";
  readonly name: string;
}

type Fields = Record<string, unknown>;

const isRecord = (x: unknown): x is Fields => typeof x === "object" && x !== null && !Array.isArray(x);
const records = (x: unknown): Fields[] => (Array.isArray(x) ? x.filter(isRecord) : []);
const text = (x: unknown): string | undefined => (typeof x === "string" && x !== "" ? x : undefined);
const field = (x: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((at, key) => (isRecord(at) ? at[key] : undefined), x);

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

function containerReferences(container: Fields): NamedReference[] {
  const out: NamedReference[] = [];
  for (const source of records(container["envFrom"])) {
    const configMap = text(field(source, "configMapRef", "name"));
    const secret = text(field(source, "secretRef", "name"));
    if (configMap !== undefined) out.push({ kind: "ConfigMap", name: configMap });
    if (secret !== undefined) out.push({ kind: "Secret", name: secret });
  }
  for (const env of records(container["env"])) {
    const configMap = text(field(env, "valueFrom", "configMapKeyRef", "name"));
    const secret = text(field(env, "valueFrom", "secretKeyRef", "name"));
    if (configMap !== undefined) out.push({ kind: "ConfigMap", name: configMap });
    if (secret !== undefined) out.push({ kind: "Secret", name: secret });
  }
  return out;
}

function volumeReferences(volume: Fields): NamedReference[] {
  const out: NamedReference[] = [];
  const configMap = text(field(volume, "configMap", "name"));
  const secret = text(field(volume, "secret", "secretName"));
  const claim = text(field(volume, "persistentVolumeClaim", "claimName"));
  if (configMap !== undefined) out.push({ kind: "ConfigMap", name: configMap });
  if (secret !== undefined) out.push({ kind: "Secret", name: secret });
  if (claim !== undefined) out.push({ kind: "PersistentVolumeClaim", name: claim });
  for (const source of records(field(volume, "projected", "sources"))) {
    const projectedMap = text(field(source, "configMap", "name"));
    const projectedSecret = text(field(source, "secret", "name"));
    if (projectedMap !== undefined) out.push({ kind: "ConfigMap", name: projectedMap });
    if (projectedSecret !== undefined) out.push({ kind: "Secret", name: projectedSecret });
  }
  return out;
}

/**
 * The pod spec of a workload object and its field path (`spec.template.spec`), or `undefined`
 * for a kind that has none. The one table of where each workload kind keeps its pods: the stage
 * planner, the policy rules and release status all read pods through it.
 */
export function podSpecOf(object: {
  readonly kind: string;
}): { readonly path: string; readonly spec: Fields } | undefined {
  const path = POD_SPEC_PATHS[object.kind];
  if (path === undefined) return undefined;
  const spec = field(object, ...path);
  return isRecord(spec) ? { path: path.join("."), spec } : undefined;
}

/** The objects a workload's pod template names, each once, in the order first named. */
export function podReferences(object: { readonly kind: string }): NamedReference[] {
  const pod = podSpecOf(object)?.spec;
  if (pod === undefined) return [];
  const found: NamedReference[] = [];
  const account = text(pod["serviceAccountName"]) ?? text(pod["serviceAccount"]);
  if (account !== undefined) found.push({ kind: "ServiceAccount", name: account });
  for (const secret of records(pod["imagePullSecrets"])) {
    const name = text(secret["name"]);
    if (name !== undefined) found.push({ kind: "Secret", name });
  }
  for (const volume of records(pod["volumes"])) found.push(...volumeReferences(volume));
  for (const key of ["initContainers", "containers", "ephemeralContainers"])
    for (const container of records(pod[key])) found.push(...containerReferences(container));
  const seen = new Set<string>();
  return found.filter((r) => {
    const key = `${r.kind}/${r.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What a CustomResourceDefinition defines: `group/Kind` and whether it is cluster-scoped. */
export function definedKind(object: {
  readonly kind: string;
}): { readonly key: string; readonly clusterScoped: boolean } | undefined {
  if (object.kind !== "CustomResourceDefinition") return undefined;
  const group = text(field(object, "spec", "group"));
  const kind = text(field(object, "spec", "names", "kind"));
  if (group === undefined || kind === undefined) return undefined;
  return { key: `${group}/${kind}`, clusterScoped: field(object, "spec", "scope") === "Cluster" };
}

/** `group/Kind` of an object, to look up the CustomResourceDefinition that defines it. */
export function kindKey(object: { readonly apiVersion: string; readonly kind: string }): string {
  return `${groupOf(object.apiVersion)}/${object.kind}`;
}

/** Built-in kinds that live outside namespaces (the ones a module plausibly renders). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  "Namespace",
  "CustomResourceDefinition",
  "ClusterRole",
  "ClusterRoleBinding",
  "StorageClass",
  "PersistentVolume",
  "PriorityClass",
  "IngressClass",
  "RuntimeClass",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "APIService",
  "CSIDriver",
  "VolumeSnapshotClass",
]);
