// `npm run testenv -- build|up|status|down`: the test control plane and registry for humans and CI.
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBinaries, ensureTool, TOOL_NAMES } from "./binaries.ts";
import { TestEnvError } from "./errors.ts";
import { stateFile } from "./paths.ts";
import { clearState, isAlive, readState, type RunState } from "./state.ts";

const USAGE = `usage: npm run testenv -- <command>

  build    build the control plane binaries and the Go test tools (testenv/tools.env) into
           ~/.cache/opm/testenv (reused when present)
  up       start etcd, kube-apiserver, controller-manager, scheduler, kwok and an OCI registry;
           prints KUBECONFIG=<path> and REGISTRY=<host:port> once everything is ready
  status   show whether it is running
  down     stop everything it started
`;

const file = stateFile(process.env);
const say = (line: string) => process.stdout.write(`${line}\n`);

function printReady(state: RunState): void {
  say(`KUBECONFIG=${state.kubeconfig}`);
  say(`REGISTRY=${state.registry}`);
}

async function up(context: string): Promise<number> {
  const current = readState(file);
  if (current?.phase === "ready" && isAlive(current.supervisorPid)) {
    printReady(current);
    return 0;
  }
  if (current && isAlive(current.supervisorPid)) {
    throw new TestEnvError(
      "another 'testenv up' is still starting",
      "wait, or run 'npm run testenv -- down'",
    );
  }
  clearState(file);
  await ensureBinaries((line) => process.stderr.write(`${line}\n`));
  const log = join(dirname(file), "supervisor.log");
  mkdirSync(dirname(log), { recursive: true });
  const fd = openSync(log, "w");
  const supervisor = fileURLToPath(new URL("./supervisor.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", supervisor, context], {
    detached: true,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  child.unref();
  let shown = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const lines = readFileSync(log, "utf8").split("\n").filter(Boolean);
    for (const line of lines.slice(shown)) process.stderr.write(`testenv: ${line}\n`);
    shown = lines.length;
    const state = readState(file);
    if (state?.phase === "ready") {
      printReady(state);
      return 0;
    }
    if (state?.phase === "failed") throw new TestEnvError(state.error ?? "start failed");
    if (!isAlive(child.pid))
      throw new TestEnvError("the supervisor exited before the environment was ready", undefined, log);
  }
}

function status(): number {
  const state = readState(file);
  if (!state || !isAlive(state.supervisorPid)) {
    say("testenv: not running");
    return 1;
  }
  const down = (state.pids ?? []).filter((p) => !isAlive(p));
  say(
    `testenv: ${state.phase}${down.length ? ` (${down.length} component(s) exited)` : ""}, since ${state.startedAt}`,
  );
  if (state.phase === "ready") printReady(state);
  return state.phase === "ready" && down.length === 0 ? 0 : 1;
}

async function down(): Promise<number> {
  const state = readState(file);
  if (!state || !isAlive(state.supervisorPid)) {
    clearState(file);
    say("testenv: not running");
    return 0;
  }
  process.kill(state.supervisorPid, "SIGTERM");
  const deadline = Date.now() + 20_000;
  while (isAlive(state.supervisorPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(state.supervisorPid)) process.kill(state.supervisorPid, "SIGKILL");
  for (const pid of state.pids ?? []) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  clearState(file);
  say("testenv: stopped");
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "build": {
      const progress = (line: string): boolean => process.stderr.write(`${line}\n`);
      const bins = await ensureBinaries(progress);
      for (const tool of TOOL_NAMES) await ensureTool(tool, progress);
      say(bins.dir);
      return 0;
    }
    case "up":
      return up(rest[0] ?? "opm-test");
    case "status":
      return status();
    case "down":
      return down();
    default:
      process.stderr.write(USAGE);
      return command === undefined || command === "help" || command === "--help" ? 0 : 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${err instanceof TestEnvError ? err.oneLine() : `testenv: ${String(err)}`}\n`);
  process.exitCode = 1;
}
