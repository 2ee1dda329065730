// Whole-process start-up of the built CLI:
//   npx tsx bench/cli-startup.ts [runs] [--repo-only]
//   (after `npm run build:all`; without --repo-only it also packs the package and installs the
//   tarball into a temporary project, about a minute, to time the installed `opm`)
// Medians of `node -e 0` (the floor), `opm --version` (the package's executable, from the repo
// and from an installed tarball, run as a user runs it: through its `#!/usr/bin/env node` line),
// `opm version` (clipanion loaded) and `opm mod build examples/jellyfin` (TS path, module bundle
// cached after the first run), through the esbuild bundle and through tsc's output without it.
// The floor rows: `node` starting one empty worker thread, and one child node process, the two
// isolates a module's code could run in (see EMPTY_WORKER). Runs are interleaved so background
// load hits every scenario alike. Goals (docs/architecture.md, "Speed budget"; issues 6 and 10):
// `opm --version` <= 1.10x `node -e 0`, jellyfin build <= 2.0x.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const positional = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const runs = Number(positional[0] ?? 21);
const repoOnly = process.argv.includes("--repo-only");
// The package's executable (package.json bin): the bundle's entry, chosen when it was built.
const bin = join(root, "dist/opm/bin.cjs");
// A HOME without ~/.opm/config.cue, so the numbers do not depend on the machine's config, and
// nothing else of this shell's environment: a variable such as NODE_EXTRA_CA_CERTS makes every
// Node process read a certificate bundle at start (180 ms on the machine of docs/benchmarks.md),
// which raised the floor every ratio here is measured against.
const env = {
  PATH: process.env["PATH"] ?? "",
  HOME: mkdtempSync(join(tmpdir(), "opm-bench-")),
  NO_COLOR: "1",
};

// The same CLI from tsc's output (dist/cli/main.js) without the esbuild bundle, for before/after.
const unbundled = (...argv: string[]) => [
  "--input-type=module",
  "-e",
  `const { runCli } = await import(${JSON.stringify(join(root, "dist/cli/main.js"))});` +
    "process.exitCode = await runCli(process.argv.slice(1), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });",
  ...argv,
];

/** `npm pack` of this tree installed into a temporary project; its `node_modules/.bin/opm`. */
function installedOpm(): string {
  const work = mkdtempSync(join(tmpdir(), "opm-bench-install-"));
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 64 << 20,
    }),
  ) as { filename: string }[];
  writeFileSync(
    join(work, "package.json"),
    JSON.stringify({ name: "bench", version: "1.0.0", private: true }),
  );
  execFileSync(
    "npm",
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      join(work, packed[0]!.filename),
    ],
    { cwd: work, stdio: "ignore" },
  );
  return join(work, "node_modules/.bin/opm");
}

interface Scenario {
  /** The program to start. @default this node */
  readonly command?: string;
  readonly args: string[];
  /** Goal as a multiple of `node -e 0`'s wall time. */
  readonly goalRatio?: number;
}

// The floor of the TS path. A module's code runs in an isolate the CLI can stop (the time bound
// of OPM8006-8008; never on the main thread), so a TS build costs at least a node start plus the
// start of one such isolate, before any of our code: a worker thread (what the CLI uses; Node 20
// has no start-up snapshot for workers, so each compiles Node's internal modules) or a child node
// process (which starts from Node's snapshot, but is a second process). Each answers its first
// message; the child is then waited for, so its CPU time counts.
const EMPTY_WORKER =
  "new (require('node:worker_threads').Worker)(\"require('node:worker_threads').parentPort.postMessage(1)\", { eval: true })" +
  ".once('message', () => process.exit(0))";
const EMPTY_CHILD =
  "const c = require('node:child_process').spawn(process.execPath, ['-e', 'process.send(1)'], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });" +
  "c.once('message', () => c.once('exit', () => process.exit(0)))";

const scenarios: Record<string, Scenario> = {
  "node -e 0": { args: ["-e", "0"] },
  "node + one empty worker thread (floor of the TS path)": { args: ["-e", EMPTY_WORKER] },
  "node + one child node process (the other isolate)": { args: ["-e", EMPTY_CHILD] },
  "opm --version (repo, dist/opm/bin.cjs)": { command: bin, args: ["--version"], goalRatio: 1.1 },
  ...(repoOnly
    ? {}
    : {
        "opm --version (installed tarball, node_modules/.bin/opm)": {
          command: installedOpm(),
          args: ["--version"],
          goalRatio: 1.1,
        },
      }),
  "opm version (bundle)": { args: [bin, "version"] },
  "opm version (tsc output, no bundle)": { args: unbundled("version") },
  "opm mod build examples/jellyfin (bundle)": {
    args: [bin, "mod", "build", "examples/jellyfin"],
    goalRatio: 2.0,
  },
  "opm mod build examples/jellyfin (tsc output, no bundle)": {
    args: unbundled("mod", "build", "examples/jellyfin"),
  },
};
if (!existsSync(bin)) throw new Error("run `npm run build:all` first");

/** CPU time (user + system) of our waited-for children so far, in ms (Linux: /proc, 10 ms ticks). */
function childrenCpuMs(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  // After the command name: field 14 is cutime, 15 cstime (1-based in proc(5): 16 and 17).
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** Wall and CPU time of one run. CPU time is the steadier figure when other work shares the cores. */
function once({ command = process.execPath, args }: Scenario): { wall: number; cpu: number } {
  const cpuBefore = childrenCpuMs();
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
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
for (const scenario of Object.values(scenarios)) once(scenario); // warm: file cache, module bundle cache
for (let i = 0; i < runs; i++) {
  for (const [name, scenario] of Object.entries(scenarios)) {
    const sample = once(scenario);
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
for (const [name, { goalRatio }] of Object.entries(scenarios)) {
  const w = median(wall.get(name)!);
  const c = median(cpu.get(name)!);
  const goal =
    goalRatio === undefined
      ? ""
      : `<= ${goalRatio.toFixed(2)}x: ${w / floor <= goalRatio ? "met" : "missed"}`;
  process.stdout.write(
    `| \`${name}\` | ${w.toFixed(0)} | ${(w / floor).toFixed(2)}x | ${c.toFixed(0)} | ${(c / cpuFloor).toFixed(2)}x | ${goal} |\n`,
  );
}
