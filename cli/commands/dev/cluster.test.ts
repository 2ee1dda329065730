// `opm dev cluster up|status|down`: starts its own control plane (kwok nodes) with a throwaway
// HOME, applies the blog example to it through the `opm-dev` context, and stops it again.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run, tempDir } from "../../__tests__/run.ts";

const home = tempDir("opm-dev-home-");
// The component binaries are built once into the real cache; the throwaway HOME must not rebuild them.
const env = {
  HOME: home,
  KUBECONFIG: "",
  OPM_TESTENV_CACHE: process.env["OPM_TESTENV_CACHE"] ?? join(homedir(), ".cache", "opm", "testenv"),
};

afterAll(async () => {
  await run(["dev", "cluster", "down"], { env });
});

describe("opm dev cluster", () => {
  it(
    "starts a cluster, adds the opm-dev context, runs an example to Ready, and stops",
    { timeout: 240_000 },
    async () => {
      const up = await run(["dev", "cluster", "up"], { env });
      expect(up.err).toContain("context opm-dev added");
      expect(up.code).toBe(0);
      expect(up.out).toContain("dev cluster: ready");
      const kubeconfig = readFileSync(join(home, ".kube", "config"), "utf8");
      expect(kubeconfig).toContain("current-context: opm-dev");

      const status = await run(["dev", "cluster", "status"], { env });
      expect(status.code).toBe(0);

      const applied = await run(
        [
          "mod",
          "apply",
          "examples/blog",
          "--context",
          "opm-dev",
          "-n",
          "blog",
          "--create-namespace",
          "--timeout",
          "90s",
        ],
        { env },
      );
      expect(applied.code).toBe(0);
      expect(applied.err).toMatch(/r:Deployment\/blog\/web\s+Ready/);
      const health = await run(["mod", "status", "examples/blog", "-n", "blog", "-o", "json"], { env });
      expect(health.code).toBe(0);
      const result = JSON.parse(health.out) as {
        aggregate: string;
        objects: { id: { kind: string }; health: { status: string } }[];
      };
      expect(result.aggregate).toBe("Ready");
      expect(
        result.objects.filter((o) => o.id.kind === "Deployment").every((o) => o.health.status === "Ready"),
      ).toBe(true);

      const down = await run(["dev", "cluster", "down"], { env });
      expect(down).toMatchObject({ code: 0, out: "dev cluster: stopped\n" });
      expect(readFileSync(join(home, ".kube", "config"), "utf8")).not.toContain("opm-dev");
      const after = await run(["dev", "cluster", "status"], { env });
      expect(after.code).toBe(1);
    },
  );
});
