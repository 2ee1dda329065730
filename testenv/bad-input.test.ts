// Bad input gives one clear line naming what to install or retry, never a wall of Go output.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { startControlPlane } from "./controlplane.ts";
import { TestEnvError } from "./errors.ts";
import { startRegistry } from "./registry.ts";

const build = fileURLToPath(new URL("./build.sh", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "opm-testenv-bad-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function runBuild(env: Record<string, string>) {
  const res = spawnSync("bash", [build], { env: { HOME: scratch, ...env }, encoding: "utf8" });
  return { code: res.status, stderr: res.stderr.trim(), stdout: res.stdout.trim() };
}

describe("testenv bad input", () => {
  it("names Go when the toolchain is missing", () => {
    const res = runBuild({ PATH: "/usr/bin:/bin", OPM_TESTENV_CACHE: join(scratch, "no-go") });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      "testenv: Go is not installed; install Go >= 1.26 (https://go.dev/doc/install or apt-get install golang) and retry",
    );
  });

  it("reports a failed build in one line with the cause and where the log is", () => {
    const versions = join(scratch, "versions.env");
    writeFileSync(
      versions,
      "KUBERNETES_VERSION=v1.36.3\nETCD_VERSION=v0.0.0-no-such-version\nKWOK_VERSION=v0.8.0\n",
    );
    const res = runBuild({
      PATH: process.env["PATH"] ?? "",
      GOCACHE: process.env["GOCACHE"] ?? join(process.env["HOME"] ?? "/root", ".cache", "go-build"),
      GOMODCACHE: process.env["GOMODCACHE"] ?? join(process.env["HOME"] ?? "/root", "go", "pkg", "mod"),
      GOPROXY: process.env["GOPROXY"] ?? "https://proxy.golang.org",
      OPM_TESTENV_VERSIONS: versions,
      OPM_TESTENV_CACHE: join(scratch, "bad-version"),
    });
    expect(res.code).toBe(1);
    const lines = res.stderr.split("\n");
    expect(lines[0]).toBe("testenv: building etcd v0.0.0-no-such-version");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^testenv: building etcd failed: \S.*; retry with 'npm run testenv -- build' .*full log: .*etcd\.log\)$/,
    );
  }, 120_000);

  it("says which port is taken", async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, "127.0.0.1", () => resolve((blocker.address() as { port: number }).port)),
    );
    try {
      const err = await startControlPlane({
        binaries: {
          dir: "",
          etcd: "",
          kubeApiserver: "",
          kubeControllerManager: "",
          kubeScheduler: "",
          kwok: "",
          kwokStages: "",
        },
        workDir: join(scratch, "port"),
        apiPort: port,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TestEnvError);
      expect((err as TestEnvError).oneLine()).toBe(
        `testenv: port ${port} on 127.0.0.1 is already in use; stop what listens there, or retry`,
      );
    } finally {
      blocker.close();
    }
  });

  it("names the package when the registry binary is missing", async () => {
    const err = await startRegistry({ binary: join(scratch, "no-registry") }).catch((e: unknown) => e);
    expect((err as TestEnvError).oneLine()).toBe(
      `testenv: the OCI registry is missing (${join(scratch, "no-registry")}); apt-get install docker-registry`,
    );
  });
});
