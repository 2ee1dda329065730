// Leader election with a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it: the
// leader writes its identity and renews `renewTime` every retry period; a candidate takes the
// Lease when it has not seen the record change for a whole lease duration (measured on its own
// clock, so the replicas' clocks need not agree), with a write conditional on the resourceVersion
// it read, so of two candidates only one wins. A leader that cannot renew within the renew
// deadline (shorter than the duration) stops leading before anyone may take over.
import type { ClusterClient } from "../providers/kubernetes/cluster/index.ts";
import { sleep } from "./backoff.ts";
import type { Readiness } from "./metrics.ts";

export interface LeaderElectionOptions {
  readonly client: ClusterClient;
  readonly namespace: string;
  /** The Lease's name; default `opm-controller-leader`. */
  readonly name?: string;
  /** Who this replica is (host and process); unique among the replicas. */
  readonly identity: string;
  /** How long a leader's Lease holds without renewal; default 15 s. */
  readonly leaseDurationMs?: number;
  readonly log: (line: string) => void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface Lease {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: LeaseSpec;
}

/** The Lease the replicas of one installation elect their leader with. */
export const LEASE_NAME = "opm-controller-leader";

/** A Lease's MicroTime: RFC 3339 with six fractional digits. */
const microTime = (date: Date) => date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

export class LeaderElector {
  private readonly options: LeaderElectionOptions;
  private readonly durationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;
  /** The record last seen, and when (on our clock) it last changed. */
  private observed: { key: string; at: number } | undefined;
  /** The last round of a candidate: who held the Lease, or why it could not be read, and when. */
  private lastRound: { holder?: string; error?: string; at: number } | undefined;

  constructor(options: LeaderElectionOptions) {
    this.options = options;
    this.durationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = Math.round((this.durationMs * 2) / 3);
    this.retryMs = Math.max(200, Math.round(this.durationMs / 5));
  }

  get leaseName(): string {
    return this.options.name ?? LEASE_NAME;
  }

  private get path(): string {
    const { namespace } = this.options;
    return `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases/${encodeURIComponent(this.leaseName)}`;
  }

  /** Resolves true once this replica leads; false when `signal` aborted first. */
  async acquire(signal: AbortSignal): Promise<boolean> {
    let waitingOn: string | undefined;
    while (!signal.aborted) {
      try {
        const holder = await this.tryAcquireOrRenew();
        this.lastRound = { ...(holder === undefined ? {} : { holder }), at: Date.now() };
        if (holder === this.options.identity) return true;
        if (holder !== waitingOn) this.options.log(`waiting for the leader lease: held by ${holder ?? "?"}`);
        waitingOn = holder;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.lastRound = { error: message, at: Date.now() };
        this.options.log(`leader election failed: ${message}`);
      }
      await sleep(this.retryMs, signal);
    }
    return false;
  }

  /**
   * Whether a replica that does not lead is doing its part: it is ready while its last look at
   * the Lease, no older than a lease duration, succeeded (it can take over when the leader goes);
   * not while it cannot reach the API server, or before its first look.
   */
  standbyReadiness(now = Date.now()): Readiness {
    const round = this.lastRound;
    if (round === undefined) return { ready: false, reason: "standby: the Lease not read yet" };
    if (round.error !== undefined)
      return { ready: false, reason: `standby: cannot read the Lease: ${round.error}` };
    if (now - round.at > this.durationMs)
      return {
        ready: false,
        reason: `standby: the Lease not read for ${Math.round((now - round.at) / 1000)}s`,
      };
    return { ready: true, reason: `standby: ${round.holder ?? "another replica"} leads` };
  }

  /**
   * Renews the Lease every retry period until `signal` aborts, or until a renewal does not
   * succeed within the renew deadline: then `onLost` runs, and the caller must stop working as
   * the leader. A leader that stops on purpose calls `release` once its work has stopped.
   */
  async hold(signal: AbortSignal, onLost: () => void): Promise<void> {
    let renewed = Date.now();
    while (!signal.aborted) {
      await sleep(this.retryMs, signal);
      if (signal.aborted) break;
      try {
        if ((await this.tryAcquireOrRenew()) === this.options.identity) renewed = Date.now();
      } catch {
        // A failed renewal is retried until the deadline.
      }
      if (Date.now() - renewed > this.renewDeadlineMs) {
        this.options.log(
          `lost the leader lease (not renewed for ${Math.round((Date.now() - renewed) / 1000)}s)`,
        );
        onLost();
        return;
      }
    }
  }

  /** Gives the Lease up if this replica holds it, so another takes over without waiting. */
  async release(): Promise<void> {
    const { client } = this.options;
    const res = await client.raw<Lease>("GET", this.path).catch(() => undefined);
    const lease = res?.status === 200 ? res.body : undefined;
    if (lease?.spec?.holderIdentity !== this.options.identity) return;
    await client
      .raw("PUT", this.path, {
        body: {
          ...lease,
          spec: {
            ...lease.spec,
            holderIdentity: "",
            leaseDurationSeconds: 1,
            renewTime: microTime(new Date()),
          },
        },
      })
      .catch(() => undefined);
  }

  /** One round: the Lease's holder afterwards (this identity when it leads). */
  private async tryAcquireOrRenew(): Promise<string | undefined> {
    const { client, identity, namespace } = this.options;
    const now = new Date();
    const seconds = Math.ceil(this.durationMs / 1000);
    const res = await client.raw<Lease>("GET", this.path);
    if (res.status === 404) {
      const created = await client.raw(
        "POST",
        `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`,
        {
          body: {
            apiVersion: "coordination.k8s.io/v1",
            kind: "Lease",
            metadata: { name: this.leaseName, namespace },
            spec: {
              holderIdentity: identity,
              leaseDurationSeconds: seconds,
              acquireTime: microTime(now),
              renewTime: microTime(now),
              leaseTransitions: 0,
            },
          },
        },
      );
      if (created.status === 409) return undefined;
      if (created.status >= 300) throw client.failure(created, `creating Lease ${this.leaseName}`);
      return identity;
    }
    if (res.status !== 200) throw client.failure(res, `reading Lease ${this.leaseName}`);
    const lease = res.body;
    const spec = lease.spec ?? {};
    const key = `${spec.holderIdentity ?? ""} ${spec.renewTime ?? ""}`;
    if (this.observed?.key !== key) this.observed = { key, at: Date.now() };
    const holder = spec.holderIdentity ?? "";
    const held = holder !== "" && holder !== identity;
    const heldForMs = (spec.leaseDurationSeconds ?? seconds) * 1000;
    if (held && this.observed.at + heldForMs > Date.now()) return holder;
    const ours = holder === identity;
    const updated = await client.raw<Lease>("PUT", this.path, {
      body: {
        ...lease,
        spec: {
          holderIdentity: identity,
          leaseDurationSeconds: seconds,
          acquireTime: ours && spec.acquireTime !== undefined ? spec.acquireTime : microTime(now),
          renewTime: microTime(now),
          leaseTransitions: (spec.leaseTransitions ?? 0) + (ours ? 0 : 1),
        },
      },
    });
    // Someone else wrote first: they hold it (or renewed it) now.
    if (updated.status === 409) return holder === "" ? undefined : holder;
    if (updated.status >= 300) throw client.failure(updated, `updating Lease ${this.leaseName}`);
    if (!ours) this.options.log(`acquired the leader lease ${namespace}/${this.leaseName}`);
    return identity;
  }
}
