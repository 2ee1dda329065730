// The controller's metrics in Prometheus' text format (version 0.0.4), and the HTTP endpoints
// that serve them with the health checks: /metrics, /healthz (the process answers), /readyz
// (what the replica is for can be done: the leader has listed its ModuleReleases, a standby
// can reach the API server and sees who leads).
import { createServer, type Server } from "node:http";

/** Reconcile durations are counted into these buckets (seconds), like controller-runtime's. */
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export class Metrics {
  private readonly reconciles = new Map<string, number>();
  private readonly buckets = new Array<number>(BUCKETS.length).fill(0);
  private durationSum = 0;
  private durationCount = 0;
  private drifts = 0;

  private readonly gauges: { queueDepth: () => number; running: () => number; releases: () => number };

  constructor(gauges: Metrics["gauges"]) {
    this.gauges = gauges;
  }

  /** One reconcile ended with `result` (success, error, requeue) after `seconds`. */
  observeReconcile(result: "success" | "error", seconds: number): void {
    this.reconciles.set(result, (this.reconciles.get(result) ?? 0) + 1);
    this.durationSum += seconds;
    this.durationCount++;
    BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.buckets[i]!++;
    });
  }

  observeDrift(): void {
    this.drifts++;
  }

  /** The exposition text; families sorted, so it reads the same each time for the same state. */
  text(): string {
    const lines: string[] = [];
    const family = (name: string, type: string, help: string) =>
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    family("opm_controller_reconcile_total", "counter", "Reconciles of ModuleReleases, by result.");
    for (const result of ["error", "success"])
      lines.push(`opm_controller_reconcile_total{result="${result}"} ${this.reconciles.get(result) ?? 0}`);
    family("opm_controller_reconcile_errors_total", "counter", "Reconciles that failed.");
    lines.push(`opm_controller_reconcile_errors_total ${this.reconciles.get("error") ?? 0}`);
    family("opm_controller_reconcile_duration_seconds", "histogram", "How long one reconcile took.");
    BUCKETS.forEach((le, i) =>
      lines.push(`opm_controller_reconcile_duration_seconds_bucket{le="${le}"} ${this.buckets[i]}`),
    );
    lines.push(`opm_controller_reconcile_duration_seconds_bucket{le="+Inf"} ${this.durationCount}`);
    lines.push(`opm_controller_reconcile_duration_seconds_sum ${this.durationSum}`);
    lines.push(`opm_controller_reconcile_duration_seconds_count ${this.durationCount}`);
    family(
      "opm_controller_drift_corrections_total",
      "counter",
      "Objects found changed on the cluster and re-applied.",
    );
    lines.push(`opm_controller_drift_corrections_total ${this.drifts}`);
    family("opm_controller_queue_depth", "gauge", "ModuleReleases waiting to be reconciled now.");
    lines.push(`opm_controller_queue_depth ${this.gauges.queueDepth()}`);
    family("opm_controller_reconciles_running", "gauge", "Reconciles in progress.");
    lines.push(`opm_controller_reconciles_running ${this.gauges.running()}`);
    family("opm_controller_modulereleases", "gauge", "ModuleReleases the controller watches.");
    lines.push(`opm_controller_modulereleases ${this.gauges.releases()}`);
    return lines.join("\n") + "\n";
  }
}

/** Whether /readyz answers 200, and the line it answers with either way. */
export interface Readiness {
  readonly ready: boolean;
  readonly reason: string;
}

/** What the endpoints show, asked at each request (the process may change role in between). */
export interface Endpoints {
  /** The /metrics body. */
  readonly metrics: () => string;
  readonly readiness: () => Readiness;
}

/** `opm_controller_leader`: 1 on the replica that reconciles, 0 on a standby. */
export function leaderMetric(leading: boolean): string {
  return [
    "# HELP opm_controller_leader Whether this replica leads (reconciles): 1, or waits for the Lease: 0.",
    "# TYPE opm_controller_leader gauge",
    `opm_controller_leader ${leading ? 1 : 0}`,
    "",
  ].join("\n");
}

/** Serves /metrics, /healthz and /readyz on `host:port` (port 0: any free port). */
export async function serveMetrics(
  endpoints: Endpoints,
  address: { host: string; port: number },
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const send = (code: number, body: string, type = "text/plain; charset=utf-8") => {
      res.writeHead(code, { "content-type": type });
      res.end(body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed\n");
    if (path === "/metrics")
      return send(200, endpoints.metrics(), "text/plain; version=0.0.4; charset=utf-8");
    if (path === "/healthz") return send(200, "ok\n");
    if (path === "/readyz") {
      const { ready, reason } = endpoints.readiness();
      return send(ready ? 200 : 503, `${ready ? "ok" : "not ready"}: ${reason}\n`);
    }
    return send(404, "not found: /metrics, /healthz, /readyz\n");
  });
  // Slow or idle clients cannot hold the process's sockets forever.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.host, () => resolve());
  });
  const bound = server.address();
  return { server, port: typeof bound === "object" && bound !== null ? bound.port : address.port };
}
