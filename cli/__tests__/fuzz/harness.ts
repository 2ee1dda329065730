// Runs fuzz cases through the CLI in-process (runCli, as every CLI test does) and judges each
// outcome: a coded error with the expected exit code, no stack trace, no internal error, in
// bounded time, no manifests on stdout and nothing written to disk or to the cluster.
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot, run, tempDir, type CliRun } from "../run.ts";
import type { FuzzCase } from "./case.ts";

/** Ways a case can go wrong; each is counted, and any count above 0 fails the suite. */
export type Defect =
  | "stack trace"
  | "internal error"
  | "hang"
  | "silent exit"
  | "accepted invalid"
  | "wrong exit code"
  | "partial write";

export interface Verdict {
  readonly defects: readonly Defect[];
  readonly code: number | "hang";
  readonly err: string;
  readonly details: string;
  readonly ms: number;
}

/** Longer than any bound the cases set (module code 400 ms, requests 5 s): past it, a hang. */
const CASE_BOUND_MS = 60_000;
/** Caches may fill on any run (module bundles, the CUE module cache): they are not output. */
const IGNORED = new Set([".cache", "cache", "node_modules"]);

/** Every file and directory under `root` with its size and change time, caches left out. */
export function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      if (IGNORED.has(name)) continue;
      const path = join(dir, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat === undefined) continue;
      files.set(path, `${stat.size}:${stat.mtimeMs}`);
      if (stat.isDirectory()) walk(path);
    }
  };
  walk(root);
  return files;
}

function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [path, stamp] of after) {
    const old = before.get(path);
    // A directory's stamp changes when an entry is added; the entry itself is what is reported.
    if (old === undefined) changed.push(`created ${path}`);
    else if (old !== stamp && !statSync(path).isDirectory()) changed.push(`changed ${path}`);
  }
  for (const path of before.keys()) if (!after.has(path)) changed.push(`deleted ${path}`);
  return changed;
}

const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;
const CODED = /^error (OPM\d{4}):/m;

/** Runs the CLI for a case: in-process (runCli) or as a real process (for exits and hangs). */
export type CliRunner = (
  argv: string[],
  options: { env: Record<string, string>; cwd: string; boundMs: number },
) => Promise<CliRun | "hang">;

const inProcess: CliRunner = async (argv, { env, cwd, boundMs }) => {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<"hang">((resolve) => (timer = setTimeout(() => resolve("hang"), boundMs)));
  const outcome = await Promise.race([run(argv, { env, cwd }), hang]);
  clearTimeout(timer);
  return outcome;
};

/** tsx's loader by its location: the child's working directory is the case's, outside the repository. */
const TSX = pathToFileURL(join(repoRoot, "node_modules/tsx/dist/loader.mjs")).href;

/** `opm` from the sources in a child process, killed (and reported as a hang) past the bound. */
export const childProcess: CliRunner = (argv, { env, cwd, boundMs }) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", TSX, join(repoRoot, "cli/bin.ts"), ...argv], {
      cwd,
      env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve("hang");
    }, boundMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      // A signal is no exit code a script could branch on: report it as a silent exit.
      resolve({ code: code ?? 128, out, err: signal === null ? err : `${err}(killed by ${signal})` });
    });
  });

export interface CaseContext {
  /** A HOME shared by every case (so caches stay warm), checked for writes like the case's dir. */
  readonly home: string;
  /** Whether the cluster still holds nothing of a case's namespace (undefined: no cluster case). */
  readonly clusterUntouched?: (namespace: string) => Promise<string | undefined>;
  /** In-process unless given. */
  readonly runner?: CliRunner;
  /** How long a case may take before it counts as a hang. */
  readonly boundMs?: number;
}

/** Writes the case's files into a fresh directory, runs it, and judges the outcome. */
export async function runCase(fuzzCase: FuzzCase, context: CaseContext): Promise<Verdict> {
  const dir = tempDir("opm-fuzz-case-");
  const fill = (text: string) => text.replaceAll("<dir>", dir);
  for (const [name, content] of Object.entries(fuzzCase.files ?? {})) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof content === "string" ? fill(content) : content);
    if (name.endsWith(".sh")) chmodSync(path, 0o755);
  }
  const env = Object.fromEntries(Object.entries(fuzzCase.env ?? {}).map(([k, v]) => [k, fill(v)]));
  const before = new Map([...snapshot(dir), ...snapshot(context.home)]);
  const started = performance.now();
  const outcome = await (context.runner ?? inProcess)(fuzzCase.argv.map(fill), {
    env: { ...env, HOME: context.home },
    cwd: dir,
    boundMs: context.boundMs ?? CASE_BOUND_MS,
  });
  const ms = performance.now() - started;
  if (outcome === "hang") return { defects: ["hang"], code: "hang", err: "", details: "", ms };

  const { code, out, err } = outcome;
  const defects: Defect[] = [];
  const details: string[] = [];
  if (STACK_LINE.test(err) || STACK_LINE.test(out)) defects.push("stack trace");
  const coded = CODED.exec(err);
  if (code === 0) defects.push("accepted invalid");
  else if (coded === null) defects.push("silent exit");
  else if (coded[1] === "OPM7999") defects.push("internal error");
  else if (!fuzzCase.exits.includes(code)) defects.push("wrong exit code");
  const written = changes(before, new Map([...snapshot(dir), ...snapshot(context.home)]));
  if (code !== 0 && /^(apiVersion|kind):/m.test(out)) written.push("manifests on stdout");
  if (fuzzCase.namespace !== undefined && context.clusterUntouched !== undefined) {
    const left = await context.clusterUntouched(fuzzCase.namespace);
    if (left !== undefined) written.push(left);
  }
  if (written.length > 0) {
    defects.push("partial write");
    details.push(...written);
  }
  rmSync(dir, { recursive: true, force: true });
  return { defects, code, err, details: details.join("; "), ms };
}

/** Counts per family and per defect, and the failing cases (the first few of each family). */
export class Tally {
  readonly tried = new Map<string, number>();
  readonly ms = new Map<string, number>();
  readonly defects = new Map<Defect, number>();
  readonly failures: string[] = [];
  /** The slowest cases, for finding what makes the suite slow. */
  readonly slowest: { ms: number; name: string }[] = [];

  add(index: number, fuzzCase: FuzzCase, verdict: Verdict): void {
    this.tried.set(fuzzCase.family, (this.tried.get(fuzzCase.family) ?? 0) + 1);
    this.ms.set(fuzzCase.family, (this.ms.get(fuzzCase.family) ?? 0) + verdict.ms);
    this.slowest.push({ ms: verdict.ms, name: `#${index} [${fuzzCase.family}] ${fuzzCase.name}` });
    this.slowest.sort((a, b) => b.ms - a.ms).splice(5);
    for (const defect of verdict.defects) this.defects.set(defect, (this.defects.get(defect) ?? 0) + 1);
    if (verdict.defects.length > 0 && this.failures.length < 40) {
      this.failures.push(
        `#${index} [${fuzzCase.family}] ${fuzzCase.name}: ${verdict.defects.join(", ")} (exit ${verdict.code}, expected ${fuzzCase.exits.join(" or ")})\n` +
          `    opm ${fuzzCase.argv.join(" ")}\n` +
          (verdict.details === "" ? "" : `    ${verdict.details}\n`) +
          verdict.err
            .trimEnd()
            .split("\n")
            .slice(0, 6)
            .map((l) => `    | ${l}`)
            .join("\n"),
      );
    }
  }

  get total(): number {
    return [...this.tried.values()].reduce((a, b) => a + b, 0);
  }

  report(seed: number): string {
    const all: Defect[] = [
      "stack trace",
      "internal error",
      "hang",
      "silent exit",
      "accepted invalid",
      "wrong exit code",
      "partial write",
    ];
    const families = [...this.tried]
      .map(([f, n]) => `${f} ${n} (${((this.ms.get(f) ?? 0) / 1000).toFixed(1)} s)`)
      .join(", ");
    return (
      `fuzz seed ${seed}: ${this.total} inputs tried (${families})\n` +
      all.map((d) => `  ${d}s: ${this.defects.get(d) ?? 0}`).join("\n") +
      `\n  slowest: ${this.slowest.map((s) => `${(s.ms / 1000).toFixed(1)} s ${s.name}`).join("; ")}`
    );
  }
}
