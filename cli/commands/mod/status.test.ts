// `opm mod status|list|tree|events|delete` through the real CLI surface against the suite's cluster.
import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { apply } from "../../../providers/kubernetes/cluster/apply.ts";
import { ClusterClient } from "../../../providers/kubernetes/cluster/client.ts";
import { run } from "../../__tests__/run.ts";

const module = "cli/testdata/web";
const env = () => ({ KUBECONFIG: inject("kubeconfig") });

describe("release commands", () => {
  it("status, list, tree, events and delete a release; exit codes 0, 2 and 5", async () => {
    const ns = `cli-status-${randomBytes(3).toString("hex")}`;
    const applied = await run(["mod", "apply", module, "-n", ns, "--create-namespace", "--timeout", "60s"], {
      env: env(),
    });
    expect(applied.code).toBe(0);

    const status = await run(["mod", "status", "--release-name", "web", "-n", ns], { env: env() });
    expect(status.code).toBe(0);
    expect(status.out).toContain("Status:     Ready (2/2 ready)");
    expect(status.out).toMatch(/KIND\s+NAME\s+COMPONENT\s+STATUS\s+AGE\n/);
    expect(status.out).toMatch(/Deployment\s+web\s+web\s+Ready/);
    const byPath = await run(["mod", "status", module, "-n", ns, "-o", "json"], { env: env() });
    expect(byPath.code).toBe(0);
    expect((JSON.parse(byPath.out) as { aggregate: string }).aggregate).toBe("Ready");

    // A release that cannot become ready: exit 2.
    const client = ClusterClient.fromKubeconfig({ paths: [inject("kubeconfig")] });
    await apply(
      {
        release: {
          name: "stuck",
          namespace: ns,
          identity: "0f5d8a52-1d5e-5b55-9a0e-3f1de0c3b002",
          fqn: "x.dev/stuck@v0",
          version: "1.0.0",
        },
        resources: [
          {
            component: "app",
            object: {
              apiVersion: "apps/v1",
              kind: "Deployment",
              metadata: { name: "stuck", namespace: ns },
              spec: {
                selector: { matchLabels: { app: "stuck" } },
                template: {
                  metadata: { labels: { app: "stuck" } },
                  spec: { nodeSelector: { "no-such": "node" }, containers: [{ name: "m", image: "nginx" }] },
                },
              },
            },
          },
        ],
      },
      { client, wait: false },
    );
    client.close();
    const notReady = await run(["mod", "status", "--release-name", "stuck", "-n", ns, "-o", "wide"], {
      env: env(),
    });
    expect(notReady.code).toBe(2);
    expect(notReady.out).toContain("NotReady");

    const list = await run(["mod", "list", "-n", ns], { env: env() });
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/NAMESPACE\s+NAME\s+VERSION\s+STATUS\s+READY\s+AGE/);
    expect(list.out).toMatch(new RegExp(`${ns}\\s+stuck\\s+1.0.0\\s+NotReady\\s+0/1`));
    expect(list.out).toMatch(new RegExp(`${ns}\\s+web\\s+0.1.0\\s+Ready\\s+2/2`));
    const all = await run(["mod", "list", "-A", "-o", "json"], { env: env() });
    expect((JSON.parse(all.out) as { namespace: string }[]).filter((r) => r.namespace === ns)).toHaveLength(
      2,
    );

    const tree = await run(["mod", "tree", "--release-name", "web", "-n", ns], { env: env() });
    expect(tree.code).toBe(0);
    expect(tree.out).toMatch(/└── Deployment\/web Ready\n\s+└── ReplicaSet\/web-\w+ Ready\n\s+├── Pod\/web-/);

    const events = await run(["mod", "events", "--release-name", "web", "-n", ns, "--since", "10m"], {
      env: env(),
    });
    expect(events.code).toBe(0);
    expect(events.out).toMatch(/LAST SEEN\s+TYPE\s+RESOURCE\s+REASON\s+MESSAGE/);
    expect(events.out).toContain("ScalingReplicaSet");

    const dry = await run(["mod", "delete", "--release-name", "web", "-n", ns, "--dry-run"], { env: env() });
    expect(dry.out).toContain("dry run: 2 objects would be deleted");
    const deleted = await run(["mod", "delete", "--release-name", "web", "-n", ns, "-y"], { env: env() });
    expect(deleted).toMatchObject({ code: 0, out: "release deleted: 2 objects\n" });
    const gone = await run(["mod", "status", "--release-name", "web", "-n", ns], { env: env() });
    expect(gone.code).toBe(5);
    expect(gone.err).toContain("OPM6011");
    const ignored = await run(["mod", "status", "--release-name", "web", "-n", ns, "--ignore-not-found"], {
      env: env(),
    });
    expect(ignored.code).toBe(0);
    const both = await run(["mod", "status", "--release-name", "web", "--release-id", "x", "-n", ns], {
      env: env(),
    });
    expect(both.code).toBe(1);
    expect(both.err).toContain("mutually exclusive");
  });
});
