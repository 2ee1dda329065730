// Teardown leaves nothing behind: after stop() every process is gone and its ports are closed,
// and a test process that dies without stopping is cleaned up by the watchdog.
import { spawn } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startTestEnv } from "./environment.ts";
import { isAlive } from "./state.ts";

const portOpen = (server: string) =>
  new Promise<boolean>((resolve) => {
    const url = new URL(server);
    const socket = connect(Number(url.port), url.hostname, () => (socket.end(), resolve(true)));
    socket.on("error", () => resolve(false));
  });

async function gone(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pids.every((p) => !isAlive(p))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe("teardown", () => {
  it("stops every process of a control plane and closes its ports", async () => {
    const env = await startTestEnv({ nodes: 1 });
    expect(env.pids).toHaveLength(6);
    expect(env.pids.every(isAlive)).toBe(true);
    expect(await portOpen(env.controlPlane.server)).toBe(true);
    await env.stop();
    expect(env.pids.filter(isAlive)).toEqual([]);
    expect(await portOpen(env.controlPlane.server)).toBe(false);
  }, 120_000);

  it("cleans up after an owner that was killed with SIGKILL", async () => {
    const script = fileURLToPath(new URL("./testdata/start-registry-and-hang.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const registryPid = await new Promise<number>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      child.on("exit", (code) => reject(new Error(`helper exited ${code}`)));
    });
    expect(isAlive(registryPid)).toBe(true);
    child.kill("SIGKILL");
    expect(await gone([registryPid], 10_000)).toBe(true);
  }, 60_000);
});
