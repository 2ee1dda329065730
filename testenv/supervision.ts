// An environment run by a detached supervisor process, shared by `npm run testenv -- up|status|
// down` and `opm dev cluster up|status|down`: each starts its supervisor (testenv/supervisor.ts,
// or `opm dev cluster up --foreground`), waits for it here, and stops it here. The state file is
// the only link between the short-lived commands and the supervisor.
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { startTestEnv } from "./environment.ts";
import { TestEnvError } from "./errors.ts";
import { clearState, isAlive, readState, writeState, type RunState } from "./state.ts";

export interface SuperviseOptions {
  readonly stateFile: string;
  /** Removed and recreated: the data of a previous run is never reused. */
  readonly workDir: string;
  readonly context: string;
  readonly nodes?: number;
  readonly progress: (line: string) => void;
}

/**
 * The supervisor's own work: starts the environment, records it in the state file (with every
 * component's pid, so `down` can end them even if this process is killed), and stops everything
 * on SIGTERM or SIGINT. Resolves with the process's exit code.
 */
export async function supervise(options: SuperviseOptions): Promise<number> {
  const { stateFile } = options;
  const startedAt = new Date().toISOString();
  writeState(stateFile, { phase: "starting", supervisorPid: process.pid, startedAt });
  try {
    rmSync(options.workDir, { recursive: true, force: true });
    mkdirSync(dirname(options.workDir), { recursive: true });
    const env = await startTestEnv({
      workDir: options.workDir,
      context: options.context,
      ...(options.nodes === undefined ? {} : { nodes: options.nodes }),
      progress: options.progress,
    });
    writeState(stateFile, {
      phase: "ready",
      supervisorPid: process.pid,
      kubeconfig: env.kubeconfig,
      registry: env.registry,
      workDir: options.workDir,
      pids: env.pids,
      startedAt,
    });
    // Signal listeners alone do not keep Node running; this timer does, until we are told to stop.
    const alive = setInterval(() => {}, 1 << 30);
    await new Promise<void>((resolve) => {
      process.once("SIGTERM", resolve);
      process.once("SIGINT", resolve);
    });
    clearInterval(alive);
    await env.stop();
    clearState(stateFile);
    return 0;
  } catch (error) {
    const message =
      error instanceof TestEnvError ? error.oneLine() : String((error as Error)?.message ?? error);
    writeState(stateFile, { phase: "failed", supervisorPid: process.pid, error: message, startedAt });
    return 1;
  }
}

/** Starts a supervisor detached from this process, its output into `log`; returns its pid. */
export function spawnSupervisor(options: {
  readonly command: string;
  readonly args: readonly string[];
  readonly log: string;
  readonly env?: NodeJS.ProcessEnv;
}): number {
  mkdirSync(dirname(options.log), { recursive: true });
  const fd = openSync(options.log, "w");
  const child = spawn(options.command, options.args, {
    detached: true,
    stdio: ["ignore", fd, fd],
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) throw new TestEnvError(`cannot start ${options.command}`);
  return child.pid;
}

/**
 * Waits until the supervisor reports the environment ready, passing each new line of its log to
 * `onLog`. Ends with a TestEnvError when it fails, exits, or is not ready within `timeoutMs`.
 */
export async function waitUntilReady(options: {
  readonly stateFile: string;
  readonly supervisorPid: number;
  readonly log: string;
  readonly timeoutMs: number;
  readonly onLog?: (line: string) => void;
}): Promise<RunState> {
  const deadline = Date.now() + options.timeoutMs;
  let shown = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (options.onLog !== undefined && existsSync(options.log)) {
      const lines = readFileSync(options.log, "utf8").split("\n").filter(Boolean);
      for (const line of lines.slice(shown)) options.onLog(line);
      shown = lines.length;
    }
    const state = readState(options.stateFile);
    if (state?.phase === "ready") return state;
    if (state?.phase === "failed")
      throw new TestEnvError(state.error ?? "start failed", undefined, options.log);
    if (!isAlive(state?.supervisorPid ?? options.supervisorPid))
      throw new TestEnvError(
        "the supervisor exited before the environment was ready",
        undefined,
        options.log,
      );
    if (Date.now() > deadline)
      throw new TestEnvError(
        `the environment was not ready within ${Math.round(options.timeoutMs / 1000)}s`,
        "it is still starting; check the log, or stop it with down",
        options.log,
      );
  }
}

/** The running supervisor's state and the components that have exited, or undefined. */
export function runningState(stateFile: string): { state: RunState; exited: number[] } | undefined {
  const state = readState(stateFile);
  if (state === undefined || !isAlive(state.supervisorPid)) return undefined;
  return { state, exited: (state.pids ?? []).filter((pid) => !isAlive(pid)) };
}

/**
 * Stops the supervisor (SIGTERM, SIGKILL after `graceMs`) and any component it recorded that
 * outlived it, then forgets the state. Returns whether anything was running.
 */
export async function stopSupervisor(stateFile: string, graceMs: number): Promise<boolean> {
  const state = readState(stateFile);
  const running = state !== undefined && isAlive(state.supervisorPid);
  if (running) {
    process.kill(state.supervisorPid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (isAlive(state.supervisorPid) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    if (isAlive(state.supervisorPid)) process.kill(state.supervisorPid, "SIGKILL");
  }
  for (const pid of state?.pids ?? []) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  clearState(stateFile);
  return running;
}
