// CUE engine benchmarks: `npx tsx bench/cue-engine.ts [--runs N]`. Prints medians; the numbers
// in docs/benchmarks.md ("## CUE engine") come from this script.
//
// Cold starts run in a fresh child process per sample (V8 would otherwise reuse the compiled
// wasm module and the engine's page cache would be warm in-process), timing from
// createCueEngine() to the first exported result inside the child.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createCueEngine } from "../bridge/create.ts";
import type { CueEngine, EngineKind } from "../bridge/engine.ts";

const here = fileURLToPath(import.meta.url);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;
const argRuns = process.argv.indexOf("--runs");
const runs = argRuns > 0 ? Number(process.argv[argRuns + 1]) : 7;

interface ColdSample {
  /** Wall time from createCueEngine() to the first exported result. */
  readonly wall: number;
  /** CPU time of this process over the same span (all threads; the engine child not included). */
  readonly cpu: number;
}

/** Child mode: one cold start. */
async function coldStartOnce(kind: EngineKind): Promise<ColdSample> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const engine = createCueEngine({ engine: kind });
  const value = await engine.compile("a: 1\nb: a + 1\n");
  await engine.export(value);
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  await engine.close();
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

function coldStarts(kind: EngineKind): ColdSample[] {
  const samples: ColdSample[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ["--import", "tsx", here, "--cold", kind], {
      encoding: "utf8",
    });
    samples.push(JSON.parse(out) as ColdSample);
  }
  return samples;
}

async function warmSmallEval(engine: CueEngine): Promise<{ pair: number; exportOnly: number }> {
  const value = await engine.compile("a: 1\nb: a + 1\n");
  for (let i = 0; i < 50; i++) await engine.export(value);
  const pairs: number[] = [];
  const exports: number[] = [];
  for (let i = 0; i < 300; i++) {
    let t = performance.now();
    const v = await engine.compile(`a: ${i}\nb: a + 1\n`);
    await engine.export(v);
    pairs.push(performance.now() - t);
    await v.release();
    t = performance.now();
    await engine.export(value);
    exports.push(performance.now() - t);
  }
  return { pair: median(pairs), exportOnly: median(exports) };
}

/** A module of `count` components, each expanded to a Deployment and a Service by comprehensions. */
function generateModule(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), "opm-bench-cue-"));
  const files: Record<string, string> = {
    "cue.mod/module.cue": 'module: "bench.example/app@v0"\nlanguage: version: "v0.15.0"\n',
    "schema.cue": `package app

#Component: {
	name!:     string
	image!:    string
	replicas:  int & >=1 | *1
	ports: [...{name: string, port: int & >0 & <65536}]
	env: [string]: string
}

#components: [string]: #Component
#components: [N=string]: name: N

resources: {
	for n, c in #components {
		"\\(n)-deployment": {
			apiVersion: "apps/v1"
			kind:       "Deployment"
			metadata: {name: n, labels: app: n}
			spec: {
				replicas: c.replicas
				template: spec: containers: [{
					name:  n
					image: c.image
					env: [for k, v in c.env {name: k, value: v}]
					ports: [for p in c.ports {containerPort: p.port, name: p.name}]
				}]
			}
		}
		if len(c.ports) > 0 {
			"\\(n)-service": {
				apiVersion: "v1"
				kind:       "Service"
				metadata: name: n
				spec: ports: [for p in c.ports {port: p.port, name: p.name}]
			}
		}
	}
}
`,
  };
  const components: string[] = [];
  for (let i = 0; i < count; i++) {
    components.push(`#components: "svc-${i}": {
	image:    "registry.example/svc-${i}:1.${i % 10}.0"
	replicas: ${1 + (i % 3)}
	ports: [{name: "http", port: ${8000 + (i % 100)}}]
	env: {LOG_LEVEL: "info", INDEX: "${i}"}
}`);
  }
  files["components.cue"] = `package app\n\n${components.join("\n")}\n`;
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function loadAndExport(engine: CueEngine, dir: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < Math.max(3, Math.min(runs, 5)); i++) {
    const t = performance.now();
    const loaded = await engine.load({ dir });
    const out = (await engine.export(loaded.value, { path: "resources" })) as Record<string, unknown>;
    samples.push(performance.now() - t);
    if (Object.keys(out).length !== 400)
      throw new Error(`expected 400 resources, got ${Object.keys(out).length}`);
    await loaded.value.release();
  }
  return samples;
}

async function main(): Promise<void> {
  const coldIndex = process.argv.indexOf("--cold");
  if (coldIndex > 0) {
    process.stdout.write(
      `${JSON.stringify(await coldStartOnce(process.argv[coldIndex + 1] as EngineKind))}\n`,
    );
    return;
  }
  const rows: [string, string, string][] = [];
  for (const kind of ["native", "wasm"] as const) {
    const cold = coldStarts(kind);
    const goal = kind === "native" ? "<= 150 ms" : "<= 1.5 s";
    rows.push([`${kind}: cold start to first result (wall)`, ms(median(cold.map((c) => c.wall))), goal]);
    rows.push([
      `${kind}: cold start to first result (CPU, host side)`,
      ms(median(cold.map((c) => c.cpu))),
      "",
    ]);
  }

  const moduleDir = generateModule(200);
  try {
    for (const kind of ["native", "wasm"] as const) {
      const engine = createCueEngine({ engine: kind, timeoutMs: 600_000 });
      const warm = await warmSmallEval(engine);
      rows.push([
        `${kind}: warm small eval (compile + export)`,
        ms(warm.pair),
        kind === "native" ? "<= 2 ms" : "",
      ]);
      rows.push([`${kind}: warm export of a compiled value`, ms(warm.exportOnly), ""]);
      const big = await loadAndExport(engine, moduleDir);
      rows.push([`${kind}: load + export 200 components (400 objects)`, ms(median(big)), ""]);
      await engine.close();
    }
  } finally {
    rmSync(moduleDir, { recursive: true, force: true });
  }
  process.stdout.write(
    `cold starts: median of ${runs} fresh processes; load average now ${loadavg()[0]?.toFixed(1)}\n`,
  );
  for (const [name, value, goal] of rows)
    process.stdout.write(`${name.padEnd(52)} ${value.padStart(10)}  ${goal}\n`);
}

await main();
