import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Binaries } from "./binaries.ts";
import { generateCertificates } from "./certs.ts";
import { type AdminCredentials, apiRequest } from "./kubeapi.ts";
import { renderKubeconfig } from "./kubeconfig.ts";
import { assertPortFree, freePort } from "./ports.ts";
import { type Component, startComponent, waitFor } from "./processes.ts";

export interface ControlPlane {
  /** Path of an admin kubeconfig for this control plane. */
  kubeconfig: string;
  server: string;
  components: Component[];
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  binaries: Binaries;
  /** A fresh directory for data, certificates and logs. */
  workDir: string;
  /** Kubeconfig context name. */
  context?: string;
  /** Number of kwok fake nodes. */
  nodes?: number;
  /** A fixed API server port (for a dev cluster with a stable address); random by default. */
  apiPort?: number;
  progress?: (line: string) => void;
}

const SERVICE_CIDR = "10.96.0.0/16"; // only an allocation range; nothing listens on it

/**
 * Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on loopback with
 * random ports, waits until the API is ready, fake nodes are Ready and the default service account
 * exists, and returns a handle whose stop() ends every process.
 */
export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  const { binaries: bin, workDir } = opts;
  const progress = opts.progress ?? (() => {});
  const logs = join(workDir, "logs");
  const pki = join(workDir, "pki");
  mkdirSync(logs, { recursive: true });
  mkdirSync(pki, { recursive: true });
  const components: Component[] = [];
  const volumesBefore = new Set(hostPathVolumes());
  const stopAll = async () => {
    for (const c of [...components].reverse()) await c.stop();
    // The development provisioner makes a directory per claim and never removes them itself.
    for (const dir of hostPathVolumes()) {
      if (!volumesBefore.has(dir)) rmSync(join(HOST_PATH_ROOT, dir), { recursive: true, force: true });
    }
  };
  try {
    progress("generating certificates");
    const certs = generateCertificates(pki);
    if (opts.apiPort !== undefined) await assertPortFree(opts.apiPort);
    const apiPort = opts.apiPort ?? (await freePort());
    const [etcdClient, etcdPeer] = [await freePort(), await freePort()];

    progress("starting etcd");
    const etcd = startComponent(
      "etcd",
      bin.etcd,
      [
        "--name=opm",
        `--data-dir=${join(workDir, "etcd")}`,
        `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
        `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=opm=http://127.0.0.1:${etcdPeer}`,
        "--unsafe-no-fsync",
        "--log-level=warn",
      ],
      logs,
    );
    components.push(etcd);
    await waitFor(
      "etcd",
      async () => {
        const res = await fetch(`http://127.0.0.1:${etcdClient}/health`);
        return res.ok && (await res.text()).includes("true");
      },
      { timeoutMs: 30_000, watch: [etcd] },
    );

    progress("starting kube-apiserver");
    const server = `https://127.0.0.1:${apiPort}`;
    const apiserver = startComponent(
      "kube-apiserver",
      bin.kubeApiserver,
      [
        `--etcd-servers=http://127.0.0.1:${etcdClient}`,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        `--secure-port=${apiPort}`,
        `--cert-dir=${pki}`,
        `--tls-cert-file=${certs.servingCert}`,
        `--tls-private-key-file=${certs.servingKey}`,
        `--client-ca-file=${certs.caCert}`,
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        `--service-account-key-file=${certs.serviceAccountPub}`,
        `--service-account-signing-key-file=${certs.serviceAccountKey}`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        "--allow-privileged=true",
        "--endpoint-reconciler-type=none",
        "--v=0",
      ],
      logs,
    );
    components.push(apiserver);
    const admin: AdminCredentials = {
      server,
      caCert: certs.caCert,
      clientCert: certs.adminCert,
      clientKey: certs.adminKey,
    };
    await waitFor(
      "kube-apiserver /readyz",
      async () => (await apiRequest(admin, "GET", "/readyz")).status === 200,
      {
        timeoutMs: 90_000,
        watch: components,
      },
    );

    const context = opts.context ?? "opm-test";
    const kubeconfig = join(workDir, "kubeconfig");
    writeFileSync(kubeconfig, renderKubeconfig({ server, ...adminFiles(admin), context }), { mode: 0o600 });

    progress("starting kube-controller-manager, kube-scheduler, kwok");
    // kwok reads its options and its node/pod lifecycle stages from files.
    writeFileSync(
      join(workDir, "kwok.yaml"),
      [
        "apiVersion: config.kwok.x-k8s.io/v1alpha1",
        "kind: KwokConfiguration",
        "options:",
        "  nodePlayStageParallelism: 4",
        "  podPlayStageParallelism: 8",
        "  podsOnNodeSyncParallelism: 4",
        "",
      ].join("\n"),
    );
    components.push(
      startComponent(
        "kube-controller-manager",
        bin.kubeControllerManager,
        [
          `--kubeconfig=${kubeconfig}`,
          "--leader-elect=false",
          "--bind-address=127.0.0.1",
          "--secure-port=0",
          `--service-account-private-key-file=${certs.serviceAccountKey}`,
          `--root-ca-file=${certs.caCert}`,
          `--service-cluster-ip-range=${SERVICE_CIDR}`,
          "--use-service-account-credentials=false",
          // Claims bind like on a real cluster: the built-in development provisioner makes a
          // hostPath volume (a directory under /tmp) for each claim of the default class below.
          "--enable-hostpath-provisioner=true",
          // Its own client's rate limit (20 requests/s by default) would pace every Deployment's
          // rollout on a control plane this small: the soak of many releases measured it instead
          // of OPM (docs/benchmarks.md, "Controller soak").
          "--kube-api-qps=200",
          "--kube-api-burst=400",
          "--v=0",
        ],
        logs,
      ),
      startComponent(
        "kube-scheduler",
        bin.kubeScheduler,
        [
          `--kubeconfig=${kubeconfig}`,
          "--leader-elect=false",
          "--bind-address=127.0.0.1",
          "--secure-port=0",
          "--v=0",
        ],
        logs,
      ),
      startComponent(
        "kwok",
        bin.kwok,
        [
          `--kubeconfig=${kubeconfig}`,
          `--config=${join(workDir, "kwok.yaml")}`,
          `--config=${bin.kwokStages}`,
          "--manage-all-nodes=false",
          "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
          "--cidr=10.244.0.0/16",
          "--node-ip=127.0.0.1",
          "--server-address=",
        ],
        logs,
      ),
    );

    const nodeCount = opts.nodes ?? 2;
    for (let i = 0; i < nodeCount; i++) {
      const res = await apiRequest(admin, "POST", "/api/v1/nodes", fakeNode(`kwok-node-${i}`));
      if (res.status !== 201) throw new Error(`creating fake node failed: ${res.status} ${res.body}`);
    }
    const storageClass = await apiRequest(
      admin,
      "POST",
      "/apis/storage.k8s.io/v1/storageclasses",
      DEFAULT_STORAGE_CLASS,
    );
    if (storageClass.status !== 201)
      throw new Error(`creating the default storage class failed: ${storageClass.body}`);
    progress("waiting for fake nodes and the default service account");
    await waitFor(
      "kwok fake nodes",
      async () => {
        const res = await apiRequest(admin, "GET", "/api/v1/nodes");
        const nodes = (JSON.parse(res.body) as { items: NodeLike[] }).items;
        return nodes.length === nodeCount && nodes.every(isReady);
      },
      { timeoutMs: 60_000, watch: components },
    );
    await waitFor(
      "default service account",
      async () =>
        (await apiRequest(admin, "GET", "/api/v1/namespaces/default/serviceaccounts/default")).status === 200,
      { timeoutMs: 60_000, watch: components },
    );
    return { kubeconfig, server, components, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Where kube-controller-manager's hostPath provisioner puts volumes (fixed in its code). */
const HOST_PATH_ROOT = "/tmp/hostpath_pv";

function hostPathVolumes(): string[] {
  try {
    return readdirSync(HOST_PATH_ROOT);
  } catch {
    return [];
  }
}

const DEFAULT_STORAGE_CLASS = {
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
  provisioner: "kubernetes.io/host-path",
  reclaimPolicy: "Delete",
  volumeBindingMode: "Immediate",
};

function adminFiles(a: AdminCredentials) {
  return { caCert: a.caCert, clientCert: a.clientCert, clientKey: a.clientKey };
}

interface NodeLike {
  status?: { conditions?: { type: string; status: string }[] };
}

function isReady(node: NodeLike): boolean {
  return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

/** A node object kwok will adopt (by annotation) and keep Ready, with room for many pods. */
function fakeNode(name: string) {
  const capacity = { cpu: "64", memory: "256Gi", pods: "250", "ephemeral-storage": "1Ti" };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
      labels: {
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "node-role.kubernetes.io/agent": "",
        type: "kwok",
      },
    },
    spec: {},
    status: { allocatable: capacity, capacity },
  };
}
