// The long-lived process behind `testenv up`: owns the environment, records its state, and stops
// everything on SIGTERM/SIGINT (sent by `testenv down`).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startTestEnv } from "./environment.ts";
import { TestEnvError } from "./errors.ts";
import { cacheRoot, stateFile } from "./paths.ts";
import { clearState, writeState } from "./state.ts";

const file = stateFile(process.env);
const context = process.argv[2] ?? "opm-test";
const startedAt = new Date().toISOString();
writeState(file, { phase: "starting", supervisorPid: process.pid, startedAt });
const workDir = join(cacheRoot(process.env), "run", "env");
mkdirSync(join(cacheRoot(process.env), "run"), { recursive: true });

try {
  const { rmSync } = await import("node:fs");
  rmSync(workDir, { recursive: true, force: true });
  const env = await startTestEnv({ workDir, context, progress: (line) => console.error(line) });
  writeState(file, {
    phase: "ready",
    supervisorPid: process.pid,
    kubeconfig: env.kubeconfig,
    registry: env.registry,
    workDir,
    pids: env.pids,
    startedAt,
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await env.stop();
    clearState(file);
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  setInterval(() => {}, 1 << 30); // stay alive until told to stop
} catch (err) {
  const message = err instanceof TestEnvError ? err.oneLine() : String(err);
  writeState(file, { phase: "failed", supervisorPid: process.pid, error: message, startedAt });
  process.exit(1);
}
