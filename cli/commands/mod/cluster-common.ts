// What the cluster commands (apply, diff, status, list, tree, events, delete) share: connecting
// with kubectl's kubeconfig rules, choosing a release (by name, id or module path), turning a
// render into the library's input, and small formatting helpers. The Kubernetes client is
// imported on demand so `opm --help` does not load it.
import { hostname } from "node:os";
import { Option } from "clipanion";
import type {
  ClusterClient,
  ReleaseInput,
  ReleaseSelector,
} from "../../../providers/kubernetes/cluster/index.ts";
import type { RenderResult } from "../../../sdk/index.ts";
import type { Target } from "../../config/target.ts";
import { ProblemList } from "../../errors/problem-list.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** `--request-timeout`, on every command that talks to a cluster (kubectl's spelling). */
export const requestTimeoutOption = () =>
  Option.String("--request-timeout", "30s", {
    description: "how long one call to the cluster may take, retries included, e.g. 10s, 1m",
  });

/** A client for the target's cluster; every call bounded by `--request-timeout`. */
export async function connect(target: Target, requestTimeout: string): Promise<ClusterClient> {
  const requestTimeoutMs = parseDuration(requestTimeout);
  // Every call is bounded: kubectl's "0 = no timeout" is not offered.
  if (requestTimeoutMs <= 0) throw usage("--request-timeout must be more than 0 (e.g. 30s)");
  const kubeconfig = await target.kubeconfigPaths();
  const { ClusterClient } = await import("../../../providers/kubernetes/cluster/index.ts");
  return ClusterClient.fromKubeconfig(kubeconfig, { requestTimeoutMs, env: target.env });
}

/** `--lock-timeout`, on commands that take a release (apply, delete). */
export const lockTimeoutOption = () =>
  Option.String("--lock-timeout", "0s", {
    description: "how long to wait while another apply or delete holds the release, e.g. 1m",
  });

/** How this run names itself in a release's lock: who, where, which process. */
export function lockHolder(env: Env): string {
  return `${env["USER"] ?? env["LOGNAME"] ?? "someone"}@${hostname()} (opm, pid ${process.pid})`;
}

/** `0s`, `90s`, `5m` -> milliseconds; 0 is allowed here. */
export function lockTimeoutMs(text: string): number {
  return /^0+(s|ms|m|h)?$/.test(text) ? 0 : parseDuration(text);
}

/** A render's outcome as the library's input; render errors stop the command (exit 2). */
export function releaseInputOf(result: RenderResult): ReleaseInput {
  if (result.errors.length > 0 || result.release === undefined) {
    throw new ProblemList(result.errors, `render failed with ${result.errors.length} errors`);
  }
  return {
    release: result.release,
    resources: result.resources,
    stages: result.stages,
    values: result.values ?? null,
  };
}

export function checkSelector(
  name: string | undefined,
  id: string | undefined,
  path: string | undefined,
): void {
  if (name !== undefined && id !== undefined) {
    throw usage("--release-name and --release-id are mutually exclusive");
  }
  if (name === undefined && id === undefined && path === undefined) {
    throw usage("name a release: --release-name, --release-id, or a module path");
  }
}

function usage(message: string): Error {
  const error = new Error(message);
  Object.assign(error, { clipanion: { type: "usage" } });
  return error;
}

export function selectorOf(
  namespace: string,
  name: string | undefined,
  id: string | undefined,
): ReleaseSelector {
  return {
    namespace,
    ...(name === undefined ? {} : { name }),
    ...(id === undefined ? {} : { identity: id }),
  };
}

/**
 * The longest wait a timer can hold: Node fires a longer `setTimeout` at once (with a warning),
 * so a `--timeout 30d` would not wait at all.
 */
export const MAX_DURATION_MS = 2_147_483_647;

/** `5m`, `90s`, `1h30m`, `500ms` -> milliseconds; at most MAX_DURATION_MS (about 24 days). */
export function parseDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(re)) {
    const value = Number(match[1]);
    const unit = match[2];
    total += value * (unit === "ms" ? 1 : unit === "s" ? 1000 : unit === "m" ? 60_000 : 3_600_000);
    consumed += match[0].length;
  }
  if (consumed !== text.length || consumed === 0)
    throw usage(`invalid duration ${JSON.stringify(text)} (use e.g. 30s, 5m, 1h)`);
  if (total > MAX_DURATION_MS)
    throw usage(
      `duration ${JSON.stringify(text)} is too long: at most ${Math.floor(MAX_DURATION_MS / 3_600_000)}h`,
    );
  return total;
}

/** kubectl's age: `45s`, `12m`, `3h4m`, `5d`. */
export function age(since: string | undefined, now: number = Date.now()): string {
  if (since === undefined) return "<unknown>";
  const s = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400)
    return Math.floor((s % 3600) / 60) === 0
      ? `${Math.floor(s / 3600)}h`
      : `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d`;
}

/** Left-aligned columns separated by three spaces, like kubectl's tables. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("   ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}
