import { Command, Option } from "clipanion";
import * as t from "typanion";
import { KubeCommand } from "../base.ts";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { RunningController } from "../../../controller/controller.ts";
import type { LeaderElector } from "../../../controller/leader.ts";
import { connect, parseDuration, requestTimeoutOption } from "../mod/cluster-common.ts";
import { runsInCluster, writeInClusterKubeconfig } from "./in-cluster.ts";

export class ControllerRunCommand extends KubeCommand {
  static override paths = [["controller", "run"]];
  static override usage = Command.Usage({
    category: "Controller commands",
    description: "run the ModuleRelease controller against a cluster, until stopped",
    details: `
      Watches ModuleRelease resources (\`opmodel.dev/v1alpha1\`) and reconciles each one with the
      same render and apply as \`opm mod apply\`: objects are applied with server-side apply as
      field manager \`opm-controller\`, objects the release no longer renders are pruned, changes
      made on the cluster are found on every interval and restored, and the resource's status,
      conditions and events say what happened. Deleting a ModuleRelease deletes its objects
      (unless \`prune: false\`). The CRD must be installed (\`opm controller install\`).

      This runs the controller outside the cluster, with your kubeconfig; in the cluster it runs
      the same way from the Deployment \`opm controller install\` creates. With
      \`--metrics-addr\` it serves \`/metrics\` (Prometheus), \`/healthz\` and \`/readyz\`.
      In a pod (no kubeconfig named, KUBERNETES_SERVICE_HOST set) it uses the pod's
      ServiceAccount. SIGINT or SIGTERM stops it after the running reconciles reach a safe point.
    `,
    examples: [
      ["Run against the current context, every namespace", "$0 controller run"],
      ["Watch one namespace, 16 reconciles at once", "$0 controller run -n apps --concurrency 16"],
      ["Serve metrics on port 8080", "$0 controller run --metrics-addr :8080"],
    ],
  });

  concurrency = Option.String("--concurrency", "8", {
    description: "how many ModuleReleases are reconciled at once",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isAtLeast(1), t.isAtMost(64)]),
  });
  metricsAddr = Option.String("--metrics-addr", {
    description: "where /metrics, /healthz and /readyz listen, e.g. :8080 or 127.0.0.1:9090 (default: off)",
  });
  registry = Option.String("--registry", {
    description: "the CUE registry modules are pulled from (env OPM_REGISTRY or CUE_REGISTRY)",
  });
  leaderElect = Option.Boolean("--leader-elect", false, {
    description: "run as one of several replicas: only the holder of a Lease reconciles",
  });
  leaderElectNamespace = Option.String("--leader-elect-namespace", "default", {
    description: "the namespace of the Lease (opm controller install passes its own)",
  });
  leaseDuration = Option.String("--leader-elect-lease-duration", "15s", {
    description: "how long the leader's Lease holds without renewal: the longest failover",
  });
  requestTimeout = requestTimeoutOption();

  async run(): Promise<number> {
    const metricsAddress = this.metricsAddr === undefined ? undefined : parseAddress(this.metricsAddr);
    if (runsInCluster(this.context.env, this.kubeconfig))
      this.kubeconfig = writeInClusterKubeconfig(this.context.env);
    const leaseDurationMs = parseDuration(this.leaseDuration);
    const client = await connect(this.target(), this.requestTimeout);
    const { startController, synced } = await import("../../../controller/controller.ts");
    const { controllerPorts } = await import("./render-port.ts");
    const log = (line: string) => this.note(`${new Date().toISOString()} ${line}`);
    const stopping = new AbortController();
    const stop = () => stopping.abort();
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    const { leaderMetric, serveMetrics } = await import("../../../controller/metrics.ts");
    let elector: LeaderElector | undefined;
    // eslint-disable-next-line prefer-const -- the endpoints, served before it starts, refer to it
    let controller: RunningController | undefined;
    // Served from the start, by a standby too: a replica waiting for the Lease is alive and, while
    // it can read the Lease, ready to take over (the Deployment's probes ask every replica).
    const served =
      metricsAddress === undefined
        ? undefined
        : await serveMetrics(
            {
              metrics: () => (controller?.metrics.text() ?? "") + leaderMetric(controller !== undefined),
              readiness: () =>
                controller !== undefined
                  ? synced(controller.hasSynced())
                  : (elector?.standbyReadiness() ?? { ready: false, reason: "starting" }),
            },
            metricsAddress,
          );
    const closeServer = () =>
      new Promise<void>((resolve) => {
        if (served === undefined) return resolve();
        served.server.close(() => resolve());
        served.server.closeAllConnections();
      });
    if (served !== undefined) log(`serving /metrics, /healthz and /readyz on port ${served.port}`);
    if (this.leaderElect) {
      const { LeaderElector } = await import("../../../controller/leader.ts");
      const identity = `${hostname()}_${randomUUID().slice(0, 8)}`;
      elector = new LeaderElector({
        client,
        namespace: this.leaderElectNamespace,
        identity,
        leaseDurationMs,
        log,
      });
      log(`${identity}: waiting to lead (Lease ${this.leaderElectNamespace}/${elector.leaseName})`);
      if (!(await elector.acquire(stopping.signal))) {
        await closeServer();
        client.close();
        return 0;
      }
      log(`${identity}: leading`);
    }
    let lost = false;
    const holding = elector?.hold(stopping.signal, () => {
      lost = true;
      stopping.abort();
    });
    controller = await startController({
      client,
      ports: controllerPorts({
        env: this.context.env,
        cwd: this.context.cwd,
        configPath: this.configPath,
        registry: this.registry,
        moduleOutput: this.context.stderr,
        // Clients of other clusters (spec.targets) are bounded as this one is.
        requestTimeoutMs: client.requestTimeoutMs,
      }),
      ...(this.namespace === undefined ? {} : { namespace: this.namespace }),
      concurrency: this.concurrency,
      log,
    });
    const where = this.namespace === undefined ? "every namespace" : `namespace ${this.namespace}`;
    log(`watching ModuleReleases in ${where} on ${client.server} (concurrency ${this.concurrency})`);
    await new Promise<void>((resolve) =>
      stopping.signal.aborted ? resolve() : stopping.signal.addEventListener("abort", () => resolve()),
    );
    log("stopping: waiting for running reconciles");
    await controller.stop();
    await holding;
    await closeServer();
    // Only once nothing runs here may another replica lead; a lost lease is not ours to give.
    if (!lost) await elector?.release();
    client.close();
    // Losing the lease ends the process with a failure, so that it restarts as a candidate.
    return lost ? 1 : 0;
  }
}

/** `:8080`, `127.0.0.1:9090`, `[::1]:9090` -> host and port; `:8080` listens on every address. */
export function parseAddress(text: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]*):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (match === null || port > 65_535) {
    const error = new Error(
      `invalid --metrics-addr ${JSON.stringify(text)} (use host:port or :port, e.g. :8080)`,
    );
    throw Object.assign(error, { clipanion: { type: "usage" } });
  }
  const host = match[1]!.replace(/^\[|\]$/g, "");
  return { host: host === "" ? "0.0.0.0" : host, port };
}
