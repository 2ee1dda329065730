// `npm run testenv -- build|up|status|down`: the test control plane and registry for humans and CI.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBinaries, ensureTool, TOOL_NAMES } from "./binaries.ts";
import { TestEnvError } from "./errors.ts";
import { stateFile } from "./paths.ts";
import { clearState, type RunState } from "./state.ts";
import { runningState, spawnSupervisor, stopSupervisor, waitUntilReady } from "./supervision.ts";

const USAGE = `usage: npm run testenv -- <command>

  build    build the control plane binaries and the Go test tools (testenv/tools.env) into
           ~/.cache/opm/testenv (reused when present)
  up       start etcd, kube-apiserver, controller-manager, scheduler, kwok and an OCI registry;
           prints KUBECONFIG=<path> and REGISTRY=<host:port> once everything is ready
  status   show whether it is running
  down     stop everything it started
`;

const file = stateFile(process.env);
/** How long `up` waits for the supervisor (binaries are built before; this is start-up alone). */
const UP_TIMEOUT_MS = 10 * 60_000;
const say = (line: string) => process.stdout.write(`${line}\n`);

function printReady(state: RunState): void {
  say(`KUBECONFIG=${state.kubeconfig}`);
  say(`REGISTRY=${state.registry}`);
}

async function up(context: string): Promise<number> {
  const running = runningState(file);
  if (running?.state.phase === "ready") {
    printReady(running.state);
    return 0;
  }
  if (running !== undefined) {
    throw new TestEnvError(
      "another 'testenv up' is still starting",
      "wait, or run 'npm run testenv -- down'",
    );
  }
  clearState(file);
  await ensureBinaries((line) => process.stderr.write(`${line}\n`));
  const log = join(dirname(file), "supervisor.log");
  const supervisor = fileURLToPath(new URL("./supervisor.ts", import.meta.url));
  const supervisorPid = spawnSupervisor({
    command: process.execPath,
    args: ["--import", "tsx", supervisor, context],
    log,
  });
  const state = await waitUntilReady({
    stateFile: file,
    supervisorPid,
    log,
    timeoutMs: UP_TIMEOUT_MS,
    onLog: (line) => process.stderr.write(`testenv: ${line}\n`),
  });
  printReady(state);
  return 0;
}

function status(): number {
  const running = runningState(file);
  if (running === undefined) {
    say("testenv: not running");
    return 1;
  }
  const { state, exited } = running;
  say(
    `testenv: ${state.phase}${exited.length ? ` (${exited.length} component(s) exited)` : ""}, since ${state.startedAt}`,
  );
  if (state.phase === "ready") printReady(state);
  return state.phase === "ready" && exited.length === 0 ? 0 : 1;
}

async function down(): Promise<number> {
  say((await stopSupervisor(file, 20_000)) ? "testenv: stopped" : "testenv: not running");
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
