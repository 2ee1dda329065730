import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** What `testenv up` records so that `status` and `down` find the running environment. */
export interface RunState {
  phase: "starting" | "ready" | "failed";
  supervisorPid: number;
  kubeconfig?: string;
  registry?: string;
  workDir?: string;
  pids?: number[];
  error?: string;
  startedAt: string;
}

export function readState(file: string): RunState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as RunState;
  } catch {
    return undefined;
  }
}

export function writeState(file: string, state: RunState): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
  renameSync(`${file}.tmp`, file);
}

export function clearState(file: string): void {
  rmSync(file, { force: true });
}

export function isAlive(pid: number | undefined): boolean {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
