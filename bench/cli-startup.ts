// Whole-process start-up of the built CLI (run `npm run build` first):
//   npx tsx bench/cli-startup.ts [runs]
//   (after `npm run build && npm run build:cli`)
// Medians of `node -e 0` (the floor), `opm --version`, `opm version` (clipanion loaded) and
// `opm mod build examples/jellyfin` (TS path, module bundle cached after the first run), each
// through the esbuild bundle bin.js prefers and through tsc's output without it. Runs are
// interleaved so background load hits every scenario alike. Goals (docs/architecture.md, "Speed budget" and
// issue 6): --version <= 120 ms, jellyfin build <= 350 ms.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const runs = Number(process.argv[2] ?? 21);
const bin = join(root, "dist/cli/bin.js");
// A HOME without ~/.opm/config.cue, so the numbers do not depend on the machine's config.
const env = { ...process.env, HOME: mkdtempSync(join(tmpdir(), "opm-bench-")), NO_COLOR: "1" };

// The same CLI from tsc's output (dist/cli/main.js) without the esbuild bundle, for before/after.
const unbundled = (...argv: string[]) => [
  "--input-type=module",
  "-e",
  `const { runCli } = await import(${JSON.stringify(join(root, "dist/cli/main.js"))});` +
    "process.exitCode = await runCli(process.argv.slice(1), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });",
  ...argv,
];

const scenarios: Record<string, { args: string[]; goalMs?: number }> = {
  "node -e 0": { args: ["-e", "0"] },
  "opm --version": { args: [bin, "--version"], goalMs: 120 },
  "opm version (bundle)": { args: [bin, "version"] },
  "opm version (tsc output, no bundle)": { args: unbundled("version") },
  "opm mod build examples/jellyfin (bundle)": {
    args: [bin, "mod", "build", "examples/jellyfin"],
    goalMs: 350,
  },
  "opm mod build examples/jellyfin (tsc output, no bundle)": {
    args: unbundled("mod", "build", "examples/jellyfin"),
  },
};
if (!existsSync(join(root, "dist/opm/cli.js")))
  throw new Error("run `npm run build && npm run build:cli` first");

/** CPU time (user + system) of our waited-for children so far, in ms (Linux: /proc, 10 ms ticks). */
function childrenCpuMs(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  // After the command name: field 14 is cutime, 15 cstime (1-based in proc(5): 16 and 17).
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** Wall and CPU time of one run. CPU time is the steadier figure when other work shares the cores. */
function once(args: string[]): { wall: number; cpu: number } {
  const cpuBefore = childrenCpuMs();
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr.toString()}`);
  return { wall, cpu: childrenCpuMs() - cpuBefore };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const wall = new Map<string, number[]>(Object.keys(scenarios).map((k) => [k, []]));
const cpu = new Map<string, number[]>(Object.keys(scenarios).map((k) => [k, []]));
for (const { args } of Object.values(scenarios)) once(args); // warm: file cache, module bundle cache
for (let i = 0; i < runs; i++) {
  for (const [name, { args }] of Object.entries(scenarios)) {
    const sample = once(args);
    wall.get(name)!.push(sample.wall);
    cpu.get(name)!.push(sample.cpu);
  }
}

const floor = median(wall.get("node -e 0")!);
const cpuFloor = median(cpu.get("node -e 0")!);
const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
process.stdout.write(
  `${runs} interleaved runs per scenario, medians; load average at the end: ${load}\n\n` +
    "| Scenario | wall ms | vs `node -e 0` | CPU ms | vs `node -e 0` | goal (wall) |\n" +
    "| --- | --- | --- | --- | --- | --- |\n",
);
for (const [name, { goalMs }] of Object.entries(scenarios)) {
  const w = median(wall.get(name)!);
  const c = median(cpu.get(name)!);
  const goal = goalMs === undefined ? "" : `<= ${goalMs} ms: ${w <= goalMs ? "met" : "missed"}`;
  process.stdout.write(
    `| \`${name}\` | ${w.toFixed(0)} | ${(w / floor).toFixed(2)}x | ${c.toFixed(0)} | ${(c / cpuFloor).toFixed(2)}x | ${goal} |\n`,
  );
}
