import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TestEnvError } from "./errors.ts";
import { scriptsDir } from "./paths.ts";

/** One running component of the environment, with its output in a log file. */
export interface Component {
  name: string;
  pid: number;
  logFile: string;
  /** Rejects as soon as the component exits, so a wait can fail fast with its log. */
  exited: Promise<never>;
  stop(): Promise<void>;
}

function tail(file: string, lines = 12): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

export function startComponent(name: string, command: string, args: string[], logDir: string): Component {
  const logFile = join(logDir, `${name}.log`);
  const fd = openSync(logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(command, args, { stdio: ["ignore", fd, fd], detached: false });
  } finally {
    closeSync(fd);
  }
  let done = false;
  const exitedPromise = new Promise<void>((resolve) => child.once("exit", () => ((done = true), resolve())));
  const exited = new Promise<never>((_, reject) => {
    child.once("error", (err) =>
      reject(
        new TestEnvError(`cannot start ${name}: ${err.message}`, "run 'npm run testenv -- build'", logFile),
      ),
    );
    child.once("exit", (code, signal) =>
      reject(
        new TestEnvError(
          `${name} exited (${signal ?? `code ${code}`}): ${tail(logFile, 3).replace(/\s+/g, " ").slice(-400)}`,
          undefined,
          logFile,
        ),
      ),
    );
  });
  exited.catch(() => {}); // observed by whoever waits; never an unhandled rejection
  return {
    name,
    pid: child.pid ?? -1,
    logFile,
    exited,
    async stop() {
      if (done) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}

/** Starts the watchdog that stops `pids` once `ownerPid` is gone; returns its pid. */
export function startReaper(ownerPid: number, pids: number[]): number {
  const child = spawn("bash", [join(scriptsDir(), "reaper.sh"), String(ownerPid), ...pids.map(String)], {
    stdio: "ignore",
    detached: true,
  });
  child.unref();
  return child.pid ?? -1;
}

/**
 * Polls `check` until it returns true, the time runs out, or one of the `watch`ed components dies
 * (then the error names that component and its log).
 */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; watch?: Component[] },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  const watched = opts.watch ?? [];
  const died = watched.map((c) => c.exited);
  for (;;) {
    const ok = await Promise.race([check().catch(() => false), ...died]);
    if (ok) return;
    if (Date.now() > deadline) {
      throw new TestEnvError(
        `${what} did not become ready in ${opts.timeoutMs / 1000}s`,
        "retry",
        watched.at(-1)?.logFile,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
