// The controller's renders keep CUE modules loaded in one engine (module-cache.ts): renders of
// one module with other values are the renders a fresh engine gives, one engine serves them, an
// engine killed between renders is replaced without a failed render, and closing the ports stops
// it. The real engine (native build); its processes are found as this test process's children.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { helloFiles } from "../../../controller/__tests__/hello-files.ts";
import type { ControllerRenderRequest } from "../../../controller/ports.ts";
import { sha256, stableJson } from "../../../providers/kubernetes/cluster/index.ts";
import { controllerPorts } from "./render-port.ts";

/** This process's CUE engine children (Linux /proc). */
function engines(): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
      if (
        ppid === process.pid &&
        state !== "Z" &&
        readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("bridge")
      )
        pids.push(Number(pid));
    } catch {
      // Ended meanwhile.
    }
  }
  return pids;
}

const files = helloFiles();
const request = (replicas: number): ControllerRenderRequest => ({
  module: { kind: "inline", files, digest: sha256(stableJson(files)) },
  values: { name: "spec.values", data: { message: "kept", replicas } },
  set: [],
  namespace: "kept",
  releaseName: "hello",
});

describe.skipIf(process.platform !== "linux")("controller renders with modules kept loaded", () => {
  it("renders as a fresh engine does, from one engine, replaced when it dies, stopped on close", async () => {
    const home = mkdtempSync(join(tmpdir(), "opm-kept-"));
    const settings = { env: { HOME: home }, cwd: home, moduleOutput: new PassThrough() };
    const objects = async (ports: ReturnType<typeof controllerPorts>, replicas: number) =>
      (await ports.render(request(replicas))).input.resources.map((r) => stableJson(r.object)).join("\n");

    const fresh = controllerPorts(settings);
    const expected = { 1: await objects(fresh, 1), 3: await objects(fresh, 3) };
    await fresh.close?.();

    const ports = controllerPorts(settings);
    try {
      expect(await objects(ports, 1)).toBe(expected[1]);
      expect(await objects(ports, 3)).toBe(expected[3]);
      expect(await objects(ports, 1)).toBe(expected[1]);
      const [engine, ...others] = engines();
      expect(engine).toBeDefined();
      expect(others).toEqual([]);

      process.kill(engine!, "SIGKILL");
      await new Promise((r) => setTimeout(r, 200));
      expect(await objects(ports, 3)).toBe(expected[3]);
      expect(engines()).toHaveLength(1);
      expect(engines()).not.toContain(engine);
    } finally {
      await ports.close?.();
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(engines()).toEqual([]);
  });
});
