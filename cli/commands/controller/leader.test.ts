// High availability: two `opm controller run --leader-elect` processes against the suite's control
// plane. One leads and reconciles, the other waits; the leader is killed (SIGKILL: it gives
// nothing up), and the other takes the Lease once it has not been renewed for a lease duration,
// then reconciles. Both serve /healthz, /readyz and /metrics throughout: the standby is alive and
// ready (it can read the Lease) while it does not lead. Every wait is bounded.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import {
  createRelease,
  eventually,
  freshNamespace,
  installCrd,
  readyRelease,
  testClient,
} from "../../../controller/__tests__/helpers.ts";
import type { ClusterClient } from "../../../providers/kubernetes/cluster/index.ts";
import { tempDir } from "../../__tests__/run.ts";

const bin = fileURLToPath(new URL("../../bin.ts", import.meta.url));
const LEASE_SECONDS = 4;

interface Replica {
  readonly proc: ChildProcess;
  readonly log: () => string;
}

function replica(namespace: string): Replica {
  const proc = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      bin,
      "controller",
      "run",
      "--kubeconfig",
      inject("kubeconfig"),
      "-n",
      namespace,
      "--leader-elect",
      "--leader-elect-namespace",
      namespace,
      "--leader-elect-lease-duration",
      `${LEASE_SECONDS}s`,
      "--metrics-addr",
      "127.0.0.1:0",
    ],
    {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, HOME: tempDir("opm-ha-home-"), NO_COLOR: "1" },
    },
  );
  let log = "";
  proc.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  return { proc, log: () => log };
}

/** GETs one of a replica's endpoints: its status and body. */
async function probe(r: Replica, path: string): Promise<{ status: number; body: string }> {
  const port = /serving \/metrics, \/healthz and \/readyz on port (\d+)/.exec(r.log())?.[1];
  if (port === undefined) throw new Error(`no port in the replica's log:\n${r.log()}`);
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: await res.text() };
}

let client: ClusterClient;
const replicas: Replica[] = [];

beforeAll(async () => {
  client = testClient();
  await installCrd(client);
}, 120_000);

afterAll(() => {
  for (const r of replicas) r.proc.kill("SIGKILL");
  client?.close();
});

describe("opm controller run --leader-elect", () => {
  beforeEach((context) => {
    context.onTestFailed(() => {
      for (const [i, r] of replicas.entries()) console.error(`replica ${i}:\n${r.log()}`);
    });
  });

  it(
    "one of two replicas leads; killed, the other takes over within the lease and reconciles",
    { timeout: 300_000 },
    async () => {
      const ns = await freshNamespace(client, "ha");
      const a = replica(ns);
      const b = replica(ns);
      replicas.push(a, b);
      const leading = (r: Replica) => r.log().includes(": leading");
      const [leader, standby] = await eventually(
        "one replica leading",
        async () => (leading(a) ? [a, b] : leading(b) ? [b, a] : undefined),
        120_000,
      );
      await createRelease(client, ns, "first", { values: { message: "one", replicas: 1 } });
      await readyRelease(client, ns, "first");
      // The other one waits for the Lease, and does no work meanwhile.
      await eventually("the standby waiting", async () =>
        standby.log().includes("waiting for the leader lease: held by") ? true : undefined,
      );
      expect(leading(standby)).toBe(false);
      expect(standby.log()).not.toContain("watching ModuleReleases");
      // The standby answers its probes: alive, and ready because it can take over.
      expect(await probe(standby, "/healthz")).toEqual({ status: 200, body: "ok\n" });
      const standbyReady = await probe(standby, "/readyz");
      expect(standbyReady.status).toBe(200);
      expect(standbyReady.body).toMatch(/^ok: standby: \S+ leads\n$/);
      expect((await probe(standby, "/metrics")).body).toContain("\nopm_controller_leader 0\n");
      expect(await probe(leader, "/readyz")).toEqual({
        status: 200,
        body: "ok: ModuleReleases listed, reconciling\n",
      });
      const leaderMetrics = (await probe(leader, "/metrics")).body;
      expect(leaderMetrics).toContain("\nopm_controller_leader 1\n");
      expect(leaderMetrics).toContain("opm_controller_reconcile_total");

      const killed = Date.now();
      leader.proc.kill("SIGKILL");
      await eventually("the standby leading", async () => (leading(standby) ? true : undefined), 60_000);
      const failoverMs = Date.now() - killed;
      await eventually("the new leader reporting it", async () =>
        (await probe(standby, "/metrics")).body.includes("\nopm_controller_leader 1\n") ? true : undefined,
      );
      // A candidate takes the Lease once it has seen no renewal for a lease duration; the last
      // renewal was at most a retry period (a fifth of it) before the kill, and the candidate
      // looks once per retry period: so a duration and two retry periods at most, plus the poll.
      expect(failoverMs).toBeLessThan(LEASE_SECONDS * 1000 * 1.4 + 1000);
      console.log(`failover after ${failoverMs} ms (lease ${LEASE_SECONDS}s)`);
      // Its objects go to a namespace of their own: "first" has the same names here.
      const target = await freshNamespace(client, "ha-second");
      await createRelease(client, ns, "second", {
        values: { message: "two", replicas: 1 },
        targetNamespace: target,
      });
      const second = await readyRelease(client, ns, "second");
      expect(second.status?.inventory?.count).toBe(2);

      // Stopped on purpose, the leader gives the Lease up: nobody is left, so it stays free.
      standby.proc.kill("SIGTERM");
      const code = await new Promise<number | null>((resolve) =>
        standby.proc.once("exit", (c) => resolve(c)),
      );
      expect(code).toBe(0);
      const lease = await client.json<{ spec: { holderIdentity?: string; leaseTransitions?: number } }>(
        "GET",
        `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/opm-controller-leader`,
        "reading the Lease",
      );
      expect(lease.spec.holderIdentity ?? "").toBe("");
      expect(lease.spec.leaseTransitions).toBeGreaterThanOrEqual(1);
    },
  );
});
