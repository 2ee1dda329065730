// `opm mod apply` and `opm mod diff` through the real CLI surface against the suite's cluster.
import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { ClusterClient } from "../../../providers/kubernetes/cluster/client.ts";
import { listInventories, writeInventory } from "../../../providers/kubernetes/cluster/inventory.ts";
import { run } from "../../__tests__/run.ts";

const module = "cli/testdata/web";
const env = () => ({ KUBECONFIG: inject("kubeconfig") });
const namespace = () => `cli-apply-${randomBytes(3).toString("hex")}`;

describe("opm mod apply", () => {
  it("creates the namespace, applies, waits, and says 'no changes' the second time", async () => {
    const ns = namespace();
    const first = await run(["mod", "apply", module, "-n", ns, "--create-namespace", "--timeout", "60s"], {
      env: env(),
    });
    expect(first.err).not.toContain("error");
    expect(first.code).toBe(0);
    expect(first.out).toBe(`release web in namespace ${ns}: 2 created\n`);
    expect(first.err).toContain(`r:Deployment/${ns}/web`);
    expect(first.err).toMatch(/r:Deployment\/.*\/web\s+Ready/);
    const again = await run(["mod", "apply", module, "-n", ns], { env: env() });
    expect(again.code).toBe(0);
    expect(again.out).toBe(`release web in namespace ${ns}: no changes (2 objects unchanged)\n`);
    const changed = await run(
      ["mod", "apply", module, "-n", ns, "--set", "replicas=3", "--no-wait", "-o", "json"],
      { env: env() },
    );
    expect(changed.code).toBe(0);
    const result = JSON.parse(changed.out) as { objects: { id: { kind: string }; action: string }[] };
    expect(result.objects.map((o) => `${o.id.kind}:${o.action}`)).toEqual([
      "Service:unchanged",
      "Deployment:configured",
    ]);
  });

  it("plans with --dry-run=server without writing anything", async () => {
    const ns = namespace();
    await run(["mod", "apply", module, "-n", ns, "--create-namespace", "--no-wait"], { env: env() });
    const planned = await run(["mod", "apply", module, "-n", ns, "--set", "replicas=4", "--dry-run=server"], {
      env: env(),
    });
    expect(planned.code).toBe(0);
    expect(planned.out).toContain(`r:Deployment/${ns}/web`);
    expect(planned.out).toMatch(/Deployment.*configured \(dry run\)/);
    const diffAfter = await run(["mod", "diff", module, "-n", ns], { env: env() });
    expect(diffAfter.code).toBe(0);
  });

  it("exits 5 with a hint when the namespace does not exist", async () => {
    const res = await run(["mod", "apply", module, "-n", namespace()], { env: env() });
    expect(res.code).toBe(5);
    expect(res.err).toContain("does not exist");
    expect(res.err).toContain("--create-namespace");
  });

  it("exits 3 when the cluster cannot be reached", async () => {
    const { writeFileSync, mkdtempSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "opm-kc-"));
    const file = join(dir, "config");
    writeFileSync(
      file,
      "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n",
    );
    const res = await run(["mod", "apply", module, "-n", "nowhere", "--kubeconfig", file], { env: {} });
    expect(res.code).toBe(3);
    expect(res.err).toContain("OPM6001");
    const diffed = await run(["mod", "diff", module, "-n", "nowhere", "--kubeconfig", file], { env: {} });
    expect(diffed.code).toBe(3);
  });
});

describe("a release another run holds", () => {
  it("refuses apply and delete naming the holder, waits with --lock-timeout, and shows it in status", async () => {
    const ns = namespace();
    const applied = await run(["mod", "apply", module, "-n", ns, "--create-namespace", "--no-wait"], {
      env: env(),
    });
    expect(applied.code).toBe(0);
    // Another run (on another machine, say) holds the release: its lease is in the pending record.
    const client = ClusterClient.fromKubeconfig({ paths: [inject("kubeconfig")] });
    const [inventory] = await listInventories(client, ns);
    const since = new Date().toISOString();
    await writeInventory(
      client,
      {
        ...inventory!,
        pending: {
          changeId: "change-sha1-00000000",
          startedAt: since,
          entries: [],
          lease: {
            holder: "ci@builder-7 (opm, pid 4242)",
            acquiredAt: since,
            renewedAt: since,
            durationSeconds: 60,
          },
        },
      },
      since,
    );
    client.close();
    const refused = await run(["mod", "apply", module, "-n", ns, "--set", "replicas=2"], { env: env() });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      `error OPM6017: release web in namespace ${ns} is being applied by ci@builder-7 (opm, pid 4242) since ${since}`,
    );
    expect(refused.err).toMatch(
      /hint: wait for it to finish, or pass --lock-timeout to wait here; if that run died, its lock expires in \d+s/,
    );
    const started = Date.now();
    const waited = await run(
      ["mod", "delete", "--release-name", "web", "-n", ns, "-y", "--lock-timeout", "2s"],
      {
        env: env(),
      },
    );
    expect(waited.code).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(waited.err).toContain("OPM6017");
    const status = await run(["mod", "status", "--release-name", "web", "-n", ns], { env: env() });
    expect(status.out).toContain(`being changed by ci@builder-7 (opm, pid 4242) since ${since}`);
  });
});

describe("opm mod diff", () => {
  it("exits 0 when the same, 1 with a per-field diff when different", async () => {
    const ns = namespace();
    const added = await run(["mod", "diff", module, "-n", ns], { env: env() });
    expect(added.code).toBe(1);
    expect(added.out).toContain("2 added");
    await run(["mod", "apply", module, "-n", ns, "--create-namespace", "--no-wait"], { env: env() });
    const same = await run(["mod", "diff", module, "-n", ns], { env: env() });
    expect(same).toMatchObject({ code: 0, out: "No differences found\n" });
    const differs = await run(["mod", "diff", module, "-n", ns, "--set", "replicas=5"], { env: env() });
    expect(differs.code).toBe(1);
    expect(differs.out).toBe(
      `1 modified\n\n--- Deployment/web (${ns}) [modified]\n  ~ .spec.replicas\n    - 2\n    + 5\n`,
    );
  });
});
