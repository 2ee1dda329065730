// `--watch` outlives a lost connection: when the link to the API server goes away for a while,
// `opm mod status --watch` says so on stderr and keeps polling, and shows the release again once
// the server is back. The link is a TCP proxy the test cuts (providers' test proxy).
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";
import { startApiProxy } from "../../../providers/kubernetes/cluster/__tests__/proxy.ts";
import { repoRoot, run, tempDir } from "../../__tests__/run.ts";

const bin = fileURLToPath(new URL("../../bin.ts", import.meta.url));

/** Resolves when `text()` matches, or rejects after `ms`. */
async function until(text: () => string, pattern: RegExp, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pattern.test(text())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)} in:\n${text()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("status --watch", () => {
  it(
    "reports a lost connection, keeps polling, and shows the release again",
    { timeout: 120_000 },
    async () => {
      const ns = `cli-watch-${randomBytes(3).toString("hex")}`;
      const env = { KUBECONFIG: inject("kubeconfig") };
      const applied = await run(
        ["mod", "apply", "cli/testdata/web", "-n", ns, "--create-namespace", "--timeout", "60s"],
        {
          env,
        },
      );
      expect(applied.code).toBe(0);
      const proxy = await startApiProxy(inject("kubeconfig"), tempDir("opm-watch-"));
      const child = spawn(
        process.execPath,
        ["--import", "tsx", bin, "mod", "status", "--release-name", "web", "-n", ns, "--watch"],
        {
          cwd: repoRoot,
          env: {
            PATH: process.env["PATH"] ?? "",
            HOME: tempDir("opm-home-"),
            NO_COLOR: "1",
            KUBECONFIG: proxy.kubeconfig,
          },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      try {
        await until(() => out, /Status:\s+Ready/, 30_000);
        proxy.cut();
        await until(() => err, /cannot reach the cluster at https:\/\/127\.0\.0\.1:\d+.*; retrying/, 60_000);
        const shownBefore = out.split("Release:").length;
        proxy.restore();
        await until(() => String(out.split("Release:").length > shownBefore), /true/, 30_000);
        expect(child.exitCode).toBeNull();
      } finally {
        child.kill("SIGTERM");
        await proxy.close();
      }
    },
  );
});
