import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBinaries } from "./binaries.ts";
import { type ControlPlane, startControlPlane } from "./controlplane.ts";
import { type Registry, startRegistry } from "./registry.ts";
import { startReaper } from "./processes.ts";

/** A running test environment: a Kubernetes control plane with fake nodes and an OCI registry. */
export interface TestEnv {
  kubeconfig: string;
  /** `127.0.0.1:PORT` of the plain-HTTP registry. */
  registry: string;
  workDir: string;
  controlPlane: ControlPlane;
  registryServer: Registry;
  pids: number[];
  stop(): Promise<void>;
}

export interface StartOptions {
  context?: string;
  nodes?: number;
  /** Directory for all state; a new temporary one (removed on stop) by default. */
  workDir?: string;
  progress?: (line: string) => void;
}

/**
 * Builds (if needed) and starts everything, and arms a watchdog that ends every process if this
 * Node process dies without calling stop().
 */
export async function startTestEnv(opts: StartOptions = {}): Promise<TestEnv> {
  const progress = opts.progress ?? (() => {});
  const binaries = await ensureBinaries(progress);
  const ownWorkDir = opts.workDir === undefined;
  const workDir = opts.workDir ?? mkdtempSync(join(tmpdir(), "opm-testenv-"));
  const started = await Promise.allSettled([
    startControlPlane({
      binaries,
      workDir,
      progress,
      ...(opts.context ? { context: opts.context } : {}),
      ...(opts.nodes ? { nodes: opts.nodes } : {}),
    }),
    startRegistry({ dir: join(workDir, "registry") }),
  ]);
  const [cp, reg] = started;
  if (cp.status === "rejected" || reg.status === "rejected") {
    if (cp.status === "fulfilled") await cp.value.stop();
    if (reg.status === "fulfilled") await reg.value.stop();
    if (ownWorkDir) rmSync(workDir, { recursive: true, force: true });
    throw cp.status === "rejected" ? cp.reason : (reg as PromiseRejectedResult).reason;
  }
  const controlPlane = cp.value;
  const registryServer = reg.value;
  const pids = [...controlPlane.components.map((c) => c.pid), registryServer.component.pid];
  const reaper = startReaper(process.pid, pids);
  return {
    kubeconfig: controlPlane.kubeconfig,
    registry: registryServer.host,
    workDir,
    controlPlane,
    registryServer,
    pids,
    async stop() {
      await registryServer.stop();
      await controlPlane.stop();
      try {
        process.kill(reaper, "SIGTERM");
      } catch {
        // already gone
      }
      if (ownWorkDir) rmSync(workDir, { recursive: true, force: true });
    },
  };
}
