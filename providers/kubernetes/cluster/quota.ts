// All or nothing under admission limits: each object passes the server's dry run alone, but a
// ResourceQuota counts the whole set, so a write can still be refused half way. Before writing,
// the set is checked against every quota of the namespace: object counts (`configmaps`,
// `count/deployments.apps`...) and storage (`requests.storage`, per storage class), counting only
// what the apply adds: new objects, and the growth of claims that exist.
import { OpmError } from "../../../sdk/errors.ts";
import { groupOf } from "../../../sdk/identity/objects.ts";
import type { ClusterClient } from "./client.ts";
import type { DesiredObject } from "./desired.ts";
import type { LiveSnapshot } from "./live.ts";
import type { KubeObject } from "./objects.ts";

interface ResourceQuota {
  metadata: { name: string };
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

/** The names a quota counts objects of a kind under (the legacy name, if any, and count/<plural>). */
const LEGACY: Readonly<Record<string, string>> = {
  ConfigMap: "configmaps",
  Secret: "secrets",
  Service: "services",
  PersistentVolumeClaim: "persistentvolumeclaims",
  ReplicationController: "replicationcontrollers",
  ResourceQuota: "resourcequotas",
  Pod: "pods",
};

const SUFFIX: Readonly<Record<string, number>> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  m: 1e-3,
};

/** A Kubernetes quantity as a number ("1Gi" → 1073741824); NaN when it is not one. */
export function parseQuantity(value: string | number | undefined): number {
  if (typeof value === "number") return value;
  const match = /^([+-]?[\d.]+(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(value ?? "");
  const factor = match === null ? undefined : SUFFIX[match[2]!];
  return factor === undefined ? Number.NaN : Number(match![1]) * factor;
}

function storageOf(object: KubeObject | undefined): number {
  const spec = object?.["spec"] as { resources?: { requests?: { storage?: string } } } | undefined;
  const value = parseQuantity(spec?.resources?.requests?.storage);
  return Number.isNaN(value) ? 0 : value;
}

/** What the apply adds, by quota resource name. */
function requested(
  desired: readonly DesiredObject[],
  live: LiveSnapshot,
  plurals: Map<string, string>,
): Map<string, number> {
  const out = new Map<string, number>();
  const add = (name: string, amount: number) => out.set(name, (out.get(name) ?? 0) + amount);
  for (const d of desired) {
    const before = live.get(d.key);
    if (before === undefined) {
      const legacy = LEGACY[d.ref.kind];
      if (legacy !== undefined && groupOf(d.ref.apiVersion) === "") add(legacy, 1);
      const plural = plurals.get(d.key);
      if (plural !== undefined) {
        const group = groupOf(d.ref.apiVersion);
        add(`count/${plural}${group === "" ? "" : `.${group}`}`, 1);
      }
    }
    if (d.ref.kind === "PersistentVolumeClaim") {
      const growth = Math.max(0, storageOf(d.object) - storageOf(before));
      if (growth === 0) continue;
      add("requests.storage", growth);
      const className = (d.object["spec"] as { storageClassName?: string } | undefined)?.storageClassName;
      if (className !== undefined) add(`${className}.storageclass.storage.k8s.io/requests.storage`, growth);
    }
  }
  return out;
}

function show(name: string, amount: number): string {
  if (!name.endsWith("storage")) return String(amount);
  for (const [suffix, factor] of [
    ["Ti", 2 ** 40],
    ["Gi", 2 ** 30],
    ["Mi", 2 ** 20],
    ["Ki", 2 ** 10],
  ] as const)
    if (amount >= factor && amount % factor === 0) return `${amount / factor}${suffix}`;
  return String(amount);
}

/** Throws QuotaExceeded, with the numbers, when the set does not fit a quota of the namespace. */
export async function checkQuota(
  client: ClusterClient,
  namespace: string,
  desired: readonly DesiredObject[],
  live: LiveSnapshot,
): Promise<void> {
  const res = await client.raw<{ items?: ResourceQuota[] }>(
    "GET",
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/resourcequotas`,
  );
  // No quota, or no permission to read quotas: the server still enforces them on write.
  if (res.status !== 200 || (res.body.items ?? []).length === 0) return;
  const plurals = new Map<string, string>();
  for (const d of desired) {
    const resource = await client.discovery.find(d.ref.apiVersion, d.ref.kind);
    if (resource !== undefined && resource.namespaced) plurals.set(d.key, resource.plural);
  }
  const adds = requested(desired, live, plurals);
  const over: string[] = [];
  const numbers: Record<string, unknown>[] = [];
  for (const quota of res.body.items ?? []) {
    for (const [name, hardValue] of Object.entries(quota.status?.hard ?? {})) {
      const amount = adds.get(name);
      if (amount === undefined) continue;
      const hard = parseQuantity(hardValue);
      const used = parseQuantity(quota.status?.used?.[name] ?? "0");
      if (Number.isNaN(hard) || Number.isNaN(used) || used + amount <= hard) continue;
      over.push(
        `ResourceQuota ${quota.metadata.name}: ${name}: ${show(name, used)} used + ${show(name, amount)} requested > ${show(name, hard)} allowed`,
      );
      numbers.push({
        quota: quota.metadata.name,
        resource: name,
        used: show(name, used),
        requested: show(name, amount),
        hard: show(name, hard),
      });
    }
  }
  if (over.length === 0) return;
  throw new OpmError("QuotaExceeded", {
    message: `the release does not fit the quota of namespace ${namespace}:\n  ${over.join("\n  ")}`,
    hint: "nothing was written; remove what is not needed, ask for a larger quota, or choose another namespace",
    details: { namespace, exceeded: numbers },
  });
}
