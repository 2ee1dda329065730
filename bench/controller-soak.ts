// Controller soak (issue 16): `npx tsx bench/controller-soak.ts [--releases N] [--concurrency C]`.
// Starts its own control plane (testenv, kwok nodes), installs the CRD, runs one controller in
// this process (the CLI's render, as `opm controller run` wires it), creates N ModuleReleases of
// the controller tests' CUE module (a Deployment and a ConfigMap, carried inline), each into a
// namespace of its own, and measures: time from the first create until every one is Ready at its
// generation, reconcile durations (p50/p99; each release is reconciled more than once at first:
// once to set its finalizer, then the render and apply, so the N longest are reported apart),
// and RSS sampled every second (the process also holds tsx and the bench's tooling: the RSS just
// before the controller started is printed beside it), and that of the CUE engine, a child
// process (the native build), sampled alike from /proc.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { controllerPorts } from "../cli/commands/controller/render-port.ts";
import { API_VERSION, KIND, type ModuleRelease } from "../controller/api/types.ts";
import { startController } from "../controller/controller.ts";
import { releasesPath } from "../controller/resource.ts";
import { installCrd } from "../controller/__tests__/cluster.ts";
import { helloFiles } from "../controller/__tests__/hello-files.ts";
import { ClusterClient } from "../providers/kubernetes/cluster/client.ts";
import { mapLimit } from "../providers/kubernetes/cluster/limit.ts";
import { startTestEnv } from "../testenv/index.ts";
import { EngineClient } from "../bridge/client.ts";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const releases = arg("--releases", 100);
const concurrency = arg("--concurrency", 8);
const LIMIT_MS = 30 * 60_000;
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

/** RSS of this process's CUE engine children (native build), from /proc (Linux). */
function engineRss(): number {
  let total = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== process.pid || !readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("bridge")) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
      total += Number(rss ?? 0) * 1024;
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

/** CPU seconds (user + system) of this process's children by name, and of the reaped ones (engines). */
function childCpu(): Record<string, number> {
  const ticks = 100; // USER_HZ on Linux
  const fields = (stat: string) => stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const self = fields(readFileSync("/proc/self/stat", "utf8"));
  const out: Record<string, number> = {
    "reaped children (CUE engines)": (Number(self[13]) + Number(self[14])) / ticks,
  };
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const f = fields(readFileSync(`/proc/${pid}/stat`, "utf8"));
      if (Number(f[1]) !== process.pid) continue;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "";
      const name = cmd.includes("bridge") ? "live CUE engines" : (cmd.split("/").at(-1) ?? cmd);
      out[name] = (out[name] ?? 0) + (Number(f[11]) + Number(f[12])) / ticks;
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

/** The API server's request counters (`apiserver_request_total`) summed by verb and resource. */
async function serverRequests(client: ClusterClient): Promise<Map<string, number>> {
  const res = await client.raw<string>("GET", "/metrics");
  const counts = new Map<string, number>();
  for (const line of String(res.body).split("\n")) {
    if (!line.startsWith("apiserver_request_total{")) continue;
    const label = (k: string) => new RegExp(`${k}="([^"]*)"`).exec(line)?.[1] ?? "";
    const key = `${label("verb")} ${label("resource")}${label("subresource") === "" ? "" : `/${label("subresource")}`}`;
    counts.set(key, (counts.get(key) ?? 0) + Number(line.slice(line.lastIndexOf(" ") + 1)));
  }
  return counts;
}

const ready = (r: ModuleRelease) =>
  r.status?.observedGeneration === r.metadata.generation &&
  r.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;

async function main(): Promise<void> {
  process.stderr.write("starting a control plane...\n");
  // Each release runs one pod, and a kwok node holds 250: with testenv's default two nodes, the
  // 501st release's pod could never be scheduled and the soak waited for it forever.
  const env = await startTestEnv({ progress: () => {}, nodes: Math.ceil(releases / 200) + 1 });
  const client = ClusterClient.fromKubeconfig({ paths: [env.kubeconfig] });
  // The bench's own creates and polls go through another client, so the counts below are the controller's.
  const bench = ClusterClient.fromKubeconfig({ paths: [env.kubeconfig] });
  const home = mkdtempSync(join(tmpdir(), "opm-soak-"));
  try {
    await installCrd(client, "opm-bench");
    const ns = "soak";
    await client.json("POST", "/api/v1/namespaces", "namespace", {
      body: { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
    });
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    let enginePeak = 0;
    const failures: string[] = [];
    const controller = await startController({
      client,
      ports: controllerPorts({ env: { HOME: home }, cwd: home, moduleOutput: new PassThrough() }),
      concurrency,
      log: (line) => {
        if (line.includes("failed")) failures.push(line);
      },
    });
    const durations: number[] = [];
    const observe = controller.metrics.observeReconcile.bind(controller.metrics);
    controller.metrics.observeReconcile = (result, seconds) => {
      durations.push(seconds);
      observe(result, seconds);
    };
    await controller.synced;
    const calls = new Map<string, number>();
    const count = (key: string) => calls.set(key, (calls.get(key) ?? 0) + 1);
    const raw = ClusterClient.prototype.raw;
    ClusterClient.prototype.raw = function (this: ClusterClient, method, path, init) {
      if (this !== bench)
        count(
          `${method} ${path.replace(/\/namespaces\/[^/]+/, "/namespaces/*").replace(/\/(r\d+|soak-\d+|opm\.r\d+\.[^/]+|r\d+\.[0-9a-f]+)(?=\/|$)/g, "/*")}`,
        );
      return raw.call(this, method, path, init) as never;
    } as typeof raw;
    const engine = new Map<string, { n: number; ms: number }>();
    const proto = EngineClient.prototype as unknown as { call: (...args: unknown[]) => Promise<unknown> };
    const call = proto.call;
    proto.call = function (this: unknown, ...args: unknown[]) {
      const t0 = performance.now();
      const done = () => {
        const e = engine.get(String(args[0])) ?? { n: 0, ms: 0 };
        engine.set(String(args[0]), { n: e.n + 1, ms: e.ms + performance.now() - t0 });
      };
      const p = call.apply(this, args);
      p.then(done, done);
      return p;
    };
    const serverBefore = await serverRequests(bench);
    const cpuBefore = { self: process.cpuUsage(), children: childCpu() };
    const files = helloFiles();
    const started = performance.now();
    await mapLimit(
      Array.from({ length: releases }, (_, i) => i),
      8,
      (i) =>
        bench.json("POST", releasesPath(ns), `ModuleRelease ${i}`, {
          body: {
            apiVersion: API_VERSION,
            kind: KIND,
            metadata: { name: `r${i}`, namespace: ns },
            spec: {
              module: { inline: { files } },
              values: { message: `release ${i}`, replicas: 1 },
              targetNamespace: `soak-${i}`,
              interval: "1h",
              timeout: "5m",
            },
          },
        }),
    );
    const created = performance.now() - started;
    let done = 0;
    for (;;) {
      const list = await bench.json<{ items: ModuleRelease[] }>("GET", releasesPath(ns), "listing");
      done = list.items.filter(ready).length;
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      enginePeak = Math.max(enginePeak, engineRss());
      process.stderr.write(
        `\r${done}/${releases} Ready after ${Math.round((performance.now() - started) / 1000)}s`,
      );
      if (done === releases) break;
      if (performance.now() - started > LIMIT_MS)
        throw new Error(`only ${done}/${releases} Ready after 30 min`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const allReady = (performance.now() - started) / 1000;
    const self = process.cpuUsage(cpuBefore.self);
    const children = childCpu();
    const serverAfter = await serverRequests(bench);
    await controller.stop();
    const perRelease = (x: number) => `${((x / releases) * 1000).toFixed(0)} ms/release`;
    const cpuLines = [
      `CPU: bench process (controller, tsx) ${((self.user + self.system) / 1e6).toFixed(1)} s = ${perRelease((self.user + self.system) / 1e6)}`,
      ...Object.entries(children).map(
        ([name, s]) =>
          `CPU: ${name} ${(s - (cpuBefore.children[name] ?? 0)).toFixed(1)} s = ${perRelease(s - (cpuBefore.children[name] ?? 0))}`,
      ),
    ];
    const byCount = <T>(m: Map<string, T>, n: (t: T) => number) => [...m].sort((a, b) => n(b[1]) - n(a[1]));
    const callLines = byCount(calls, (n) => n).map(
      ([k, n]) => `  ${(n / releases).toFixed(2)}/release  ${k}`,
    );
    const serverDelta = new Map([...serverAfter].map(([k, n]) => [k, n - (serverBefore.get(k) ?? 0)]));
    const serverLines = byCount(serverDelta, (n) => n)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `  ${(n / releases).toFixed(2)}/release  ${k}`);
    const engineLines = byCount(engine, (e) => e.ms).map(
      ([k, e]) =>
        `  ${k}: ${(e.n / releases).toFixed(2)}/release, ${(e.ms / e.n).toFixed(1)} ms each, ${(e.ms / releases).toFixed(0)} ms/release`,
    );
    const full = [...durations].sort((a, b) => b - a).slice(0, releases);
    process.stderr.write("\n");
    process.stdout.write(
      [
        `releases: ${releases}, concurrency: ${concurrency}, created in ${(created / 1000).toFixed(1)}s`,
        `all Ready after: ${allReady.toFixed(1)} s (${((allReady / releases) * 1000).toFixed(0)} ms per release)`,
        `reconciles: ${durations.length}; all p50 ${quantile(durations, 0.5).toFixed(3)} s, p99 ${quantile(durations, 0.99).toFixed(3)} s`,
        `render+apply reconciles (the ${releases} longest): p50 ${quantile(full, 0.5).toFixed(3)} s, p99 ${quantile(full, 0.99).toFixed(3)} s`,
        `peak RSS (sampled each second): ${mib(rssPeak)} MiB; before the controller started: ${mib(rssBefore)} MiB; CUE engine child: ${mib(enginePeak)} MiB`,
        ...cpuLines,
        `controller API calls: ${[...calls.values()].reduce((a, b) => a + b, 0) / releases}/release`,
        ...callLines,
        `API server requests (all clients: controller, kube-controller-manager, scheduler, kwok, this bench):`,
        ...serverLines,
        `CUE engine requests (wall time, concurrent):`,
        ...engineLines,
        `failed reconciles logged: ${failures.length}${failures.length > 0 ? `, first: ${failures[0]}` : ""}`,
        `load average at the end: ${(await import("node:os"))
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(" ")}`,
      ].join("\n") + "\n",
    );
  } finally {
    client.close();
    bench.close();
    await env.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
