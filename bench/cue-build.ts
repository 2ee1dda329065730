// The CUE path as a user runs it, whole processes (issue 10's speed goal):
//   npm run build:all && npx tsx bench/cue-build.ts [runs]
// Medians of interleaved runs of
//   - `node -e 0` (the floor every Node program pays);
//   - `cue export` (cuelang.org/go/cmd/cue, the version our engine embeds, built from the Go
//     module proxy by testenv/build-tools.sh) of the upstream-style jellyfin module
//     (bridge/testdata/upstream/jellyfin) with its values.yaml;
//   - `opm mod build` of the same module, without and with its values file (the bundled CLI,
//     dist/opm/bin.cjs, native engine, built-in catalog), in one HOME: from the second run on,
//     the engine answers and the V8 code cache of earlier runs are used, as for a user's
//     repeated build; and once more with an empty cache directory per run (the first build).
// cue resolves the catalog from a module cache seeded once through a throwaway OCI registry that
// is stopped before anything is timed (CUE_REGISTRY then names a closed port); opm uses the
// catalog built into the package, as an installed opm does. Neither touches the network.
// Goal: opm mod build <= 3x cue export of the same module.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { catalogRegistry, publishCatalog } from "../bridge/module/__tests__/catalog-registry.ts";
import { ensureTool } from "../testenv/binaries.ts";
import { startRegistry } from "../testenv/registry.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const runs = Number(process.argv.slice(2).find((a) => !a.startsWith("--")) ?? 21);
const moduleDir = join(root, "bridge/testdata/upstream/jellyfin");
const valuesFile = join(moduleDir, "values.yaml");
const bin = join(root, "dist/opm/bin.cjs");
if (!existsSync(bin)) throw new Error("run `npm run build:all` first");
/** Nothing listens here: a cue run that needed the registry would fail. */
const NO_REGISTRY = "opmodel.dev=127.0.0.1:1+insecure";

const work = mkdtempSync(join(tmpdir(), "opm-bench-cue-build-"));
const cueCache = join(work, "cue-cache");
// A HOME without ~/.opm/config.cue and with an empty cache, so nothing of this machine counts.
const env = {
  PATH: process.env["PATH"] ?? "",
  HOME: join(work, "home"),
  NO_COLOR: "1",
  CUE_CACHE_DIR: cueCache,
  CUE_REGISTRY: NO_REGISTRY,
};

interface Scenario {
  readonly command: string;
  readonly args: readonly string[];
  /** Run with an empty OPM_CACHE_DIR: no stored engine answers, no V8 code cache. */
  readonly coldCaches?: boolean;
}

/** CPU time (user + system) of our waited-for children so far, in ms (Linux: /proc, 10 ms ticks). */
function childrenCpuMs(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function once({ command, args, coldCaches }: Scenario, extraEnv: Record<string, string> = {}) {
  if (coldCaches === true) extraEnv = { ...extraEnv, OPM_CACHE_DIR: mkdtempSync(join(work, "cold-")) };
  const cpuBefore = childrenCpuMs();
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: moduleDir,
    env: { ...env, ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 << 20,
    timeout: 120_000,
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr.toString()}`);
  return { wall, cpu: childrenCpuMs() - cpuBefore, out: result.stdout.toString() };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const cue = await ensureTool("cue");
  const cueExport: Scenario = { command: cue, args: ["export", ".", "--out", "json"] };
  // Seed cue's module cache: one export with the registry up fetches the catalog.
  const registry = await startRegistry();
  try {
    await publishCatalog(registry.url);
    once(cueExport, { CUE_REGISTRY: catalogRegistry(registry.host) });
  } finally {
    await registry.stop();
  }
  const scenarios: Record<string, Scenario> = {
    "node -e 0": { command: process.execPath, args: ["-e", "0"] },
    "cue export .": cueExport,
    "opm mod build .": { command: process.execPath, args: [bin, "mod", "build", "."] },
    "opm mod build . -f values.yaml": {
      command: process.execPath,
      args: [bin, "mod", "build", ".", "-f", valuesFile],
    },
    "opm mod build . (empty caches)": {
      command: process.execPath,
      args: [bin, "mod", "build", "."],
      coldCaches: true,
    },
  };
  const objects = once(scenarios["opm mod build ."]!).out.match(/^kind: /gm)?.length ?? 0;
  const wall = new Map(Object.keys(scenarios).map((k) => [k, [] as number[]]));
  const cpu = new Map(Object.keys(scenarios).map((k) => [k, [] as number[]]));
  for (let i = 0; i < runs; i++) {
    for (const [name, scenario] of Object.entries(scenarios)) {
      const sample = once(scenario);
      wall.get(name)!.push(sample.wall);
      cpu.get(name)!.push(sample.cpu);
    }
  }
  const cueWall = median(wall.get("cue export .")!);
  const cueCpu = median(cpu.get("cue export .")!);
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  process.stdout.write(
    `${runs} interleaved runs per scenario, medians; opm renders ${objects} objects; ` +
      `load average at the end: ${load}\n\n` +
      "| Scenario | wall ms | vs `cue export` | CPU ms | vs `cue export` | goal |\n" +
      "| --- | --- | --- | --- | --- | --- |\n",
  );
  for (const name of Object.keys(scenarios)) {
    const w = median(wall.get(name)!);
    const c = median(cpu.get(name)!);
    const goal =
      name.startsWith("opm mod build . -f") || name.endsWith("caches)") || !name.startsWith("opm")
        ? ""
        : `<= 3.00x: ${w / cueWall <= 3 ? "met" : "missed"}`;
    process.stdout.write(
      `| \`${name}\` | ${w.toFixed(0)} | ${(w / cueWall).toFixed(2)}x | ${c.toFixed(0)} | ${(c / cueCpu).toFixed(2)}x | ${goal} |\n`,
    );
  }
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
