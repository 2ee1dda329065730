// Render pipeline benchmarks (issue 4). Run: `npx tsx bench/render.ts`.
// Scenarios: a jellyfin-like module rendered in-process and warm (goal <= 5 ms); generated
// modules of 1,000 (goal <= 1.5 s, peak RSS <= 400 MB) and 2,000 components (<= 2.2x the
// 1,000 time). Each large scenario runs in a fresh child process so its peak RSS is its own.
// Prints medians as a Markdown table for docs/benchmarks.md.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadModule } from "../dsl/index.ts";
import { createNodeModuleHost } from "../dsl/node-host.ts";
import { render, type Component, type Module, type ValuesSource } from "../sdk/index.ts";
import { kubernetesProvider } from "../providers/kubernetes/index.ts";
import { C, component, T, testModule } from "../providers/kubernetes/__tests__/fixtures.ts";

function jellyfinModule(): Module {
  const mediaLibraries = ["movies", "shows", "music", "photos"];
  const volumes = Object.fromEntries([
    ["config", { persistentClaim: { size: "10Gi" } }],
    ["cache", { emptyDir: {} }],
    ...mediaLibraries.map((name) => [
      name,
      { persistentClaim: { size: "500Gi", accessMode: "ReadWriteMany" } },
    ]),
  ]);
  const mounts = Object.fromEntries(
    Object.keys(volumes).map((name) => [
      name,
      { name, mountPath: name === "config" ? "/config" : `/media/${name}` },
    ]),
  );
  const jellyfin = component("jellyfin", {
    workloadType: "stateful",
    resources: [C.container, C.volumes, C.configMaps],
    traits: [T.scaling, T.healthCheck, T.expose, T.restartPolicy, T.securityContext],
    spec: {
      container: {
        name: "jellyfin",
        image: "jellyfin/jellyfin:10.10.3",
        ports: { http: { targetPort: 8096 } },
        env: { PUID: { value: "1000" }, PGID: { value: "1000" }, TZ: { value: "Europe/Stockholm" } },
        volumeMounts: mounts,
      },
      volumes,
      configMaps: { "jellyfin-settings": { data: { "logging.json": "{}" } } },
      scaling: { count: 1 },
      healthCheck: {
        livenessProbe: { httpGet: { path: "/health", port: 8096 }, initialDelaySeconds: 30 },
        readinessProbe: { httpGet: { path: "/health", port: 8096 } },
      },
      expose: { type: "ClusterIP", ports: { http: { targetPort: 8096, exposedPort: 80 } } },
      restartPolicy: "Always",
      securityContext: { runAsUser: 1000, runAsGroup: 1000 },
    },
  });
  return testModule("jellyfin", { jellyfin }, { defaultNamespace: "jellyfin" });
}

/** `count` components cycling through stateless+service+hpa, stateful+pvc, config, and cron. */
function generatedModule(count: number): Module {
  const components: Record<string, Component> = {};
  for (let i = 0; i < count; i++) {
    const name = `svc-${String(i).padStart(5, "0")}`;
    const container = {
      name: "app",
      image: `registry.example.com/app-${i % 17}:1.0.${i % 9}`,
      ports: { http: { targetPort: 8080 } },
      env: { INDEX: { value: String(i) } },
    };
    switch (i % 4) {
      case 0:
        components[name] = component(name, {
          workloadType: "stateless",
          resources: [C.container],
          traits: [T.scaling, T.expose, T.healthCheck],
          spec: {
            container,
            scaling: {
              auto: { min: 2, max: 6, metrics: [{ type: "cpu", target: { averageUtilization: 70 } }] },
            },
            expose: { ports: { http: { targetPort: 8080 } } },
            healthCheck: { readinessProbe: { httpGet: { path: "/ready", port: 8080 } } },
          },
        });
        break;
      case 1:
        components[name] = component(name, {
          workloadType: "stateful",
          resources: [C.container, C.volumes],
          traits: [T.scaling],
          spec: {
            container: { ...container, volumeMounts: { data: { name: `${name}-data`, mountPath: "/data" } } },
            volumes: { data: { name: `${name}-data`, persistentClaim: { size: "1Gi" } } },
            scaling: { count: 1 },
          },
        });
        break;
      case 2:
        components[name] = component(name, {
          workloadType: "stateless",
          resources: [C.container, C.configMaps],
          spec: { container, configMaps: { [`${name}-config`]: { data: { "app.yaml": `index: ${i}\n` } } } },
        });
        break;
      default:
        components[name] = component(name, {
          workloadType: "scheduled-task",
          resources: [C.container],
          traits: [T.cronJobConfig],
          spec: { container, cronJobConfig: { scheduleCron: `${i % 60} * * * *` } },
        });
    }
  }
  return testModule("generated", components, { defaultNamespace: "bench" });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Wall time and CPU time of one render. The CPU time (user + system of this process) is what
 * the linearity check uses: on a shared 2-core machine wall time also counts the time other
 * processes held the CPU.
 */
async function timeRender(module: Module): Promise<{ ms: number; cpuMs: number; resources: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await render({ module, provider: kubernetesProvider });
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  if (result.errors.length > 0) throw new Error(result.errors.map(String).join("\n"));
  return { ms, cpuMs: (used.user + used.system) / 1000, resources: result.resources.length };
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Child mode: one large scenario; a first (cold) run, then `runs` timed warm runs; prints JSON. */
async function child(count: number, runs: number): Promise<void> {
  const cold = await timeRender(generatedModule(count));
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let run = 0; run < runs; run++) {
    const module = generatedModule(count); // building the module is not timed
    collectGarbage(); // so one run does not pay for the previous run's garbage
    const timed = await timeRender(module);
    times.push(timed.ms);
    cpuTimes.push(timed.cpuMs);
  }
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({ count, resources: cold.resources, cold: cold.ms, times, cpuTimes, maxRssMb }),
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--child") return child(Number(args[1]), Number(args[2]));

  const jellyfin = jellyfinModule();
  for (let i = 0; i < 50; i++) await timeRender(jellyfin); // warm up JIT and caches
  const warm: number[] = [];
  let jellyfinResources = 0;
  for (let i = 0; i < 200; i++) {
    const timed = await timeRender(jellyfin);
    warm.push(timed.ms);
    jellyfinResources = timed.resources;
  }

  // The real jellyfin example: loaded once through the dsl loader, then rendered with its values
  // file each time (zod validation of values and of every definition's spec included).
  const exampleDir = fileURLToPath(new URL("../examples/jellyfin/", import.meta.url));
  const host = createNodeModuleHost({ cacheDir: join(tmpdir(), "opm-bench-cache"), sourceConditions: true });
  const { module: example } = await loadModule(join(exampleDir, "jellyfin.opm.ts"), host);
  const exampleValues: ValuesSource[] = [
    { name: "values.yaml", text: readFileSync(join(exampleDir, "values.yaml"), "utf8") },
  ];
  const renderExample = async () => {
    const start = performance.now();
    const result = await render({ module: example, provider: kubernetesProvider, values: exampleValues });
    const ms = performance.now() - start;
    if (result.errors.length > 0) throw new Error(result.errors.map(String).join("\n"));
    return { ms, resources: result.resources.length };
  };
  for (let i = 0; i < 50; i++) await renderExample();
  const exampleWarm: number[] = [];
  let exampleResources = 0;
  for (let i = 0; i < 200; i++) {
    const timed = await renderExample();
    exampleWarm.push(timed.ms);
    exampleResources = timed.resources;
  }

  const self = fileURLToPath(import.meta.url);
  const runScenario = (count: number) => {
    const out = execFileSync(
      process.execPath,
      [...process.execArgv, "--expose-gc", self, "--child", String(count), "9"],
      {
        encoding: "utf8",
        maxBuffer: 1 << 20,
      },
    );
    return JSON.parse(out) as {
      count: number;
      resources: number;
      cold: number;
      times: number[];
      cpuTimes: number[];
      maxRssMb: number;
    };
  };
  const thousand = runScenario(1000);
  const twoThousand = runScenario(2000);
  const t1 = median(thousand.times);
  const t2 = median(twoThousand.times);
  const c1 = median(thousand.cpuTimes);
  const c2 = median(twoThousand.cpuTimes);

  const rows = [
    [
      "examples/jellyfin (dsl), in-process warm",
      `${exampleResources}`,
      `${median(exampleWarm).toFixed(2)} ms`,
      "—",
      "—",
      "—",
      "<= 5 ms",
    ],
    [
      "jellyfin-like, in-process warm",
      `${jellyfinResources}`,
      `${median(warm).toFixed(2)} ms`,
      "—",
      "—",
      "—",
      "<= 5 ms",
    ],
    [
      "1,000 components",
      `${thousand.resources}`,
      `${t1.toFixed(0)} ms`,
      `${c1.toFixed(0)} ms`,
      `${thousand.cold.toFixed(0)} ms`,
      `${thousand.maxRssMb.toFixed(0)} MB`,
      "<= 1.5 s, <= 400 MB",
    ],
    [
      "2,000 components",
      `${twoThousand.resources}`,
      `${t2.toFixed(0)} ms (${(t2 / t1).toFixed(2)}x)`,
      `${c2.toFixed(0)} ms (${(c2 / c1).toFixed(2)}x)`,
      `${twoThousand.cold.toFixed(0)} ms`,
      `${twoThousand.maxRssMb.toFixed(0)} MB`,
      "<= 2.2x the 1,000 time",
    ],
  ];
  const lines = [
    "| Scenario | Objects | Median wall | Median CPU | Cold run | Peak RSS | Goal |",
    "|---|---|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

await main();
