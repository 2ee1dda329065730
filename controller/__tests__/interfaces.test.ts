// Interfaces across ModuleReleases (docs/interfaces.md) on the suite's control plane: a consumer
// (the `orders` module, which requires postgres) created before anything provides it fails its
// render with OPM3301 naming the namespace it looked in, and is retried rather than stalled; once
// a provider ModuleRelease (`examples/interfaces`) is Ready in the namespace, the consumer's render
// reads the provider's published provisions, as `opm mod apply` does, and its Deployment is wired
// to the provider's host and Secret.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningController } from "../controller.ts";
import {
  condition,
  createRelease,
  eventually,
  freshNamespace,
  getObject,
  getRelease,
  installCrd,
  readyRelease,
  runController,
  testClient,
} from "./helpers.ts";
import { moduleFiles } from "./hello-files.ts";
import type { ClusterClient } from "../../providers/kubernetes/cluster/index.ts";

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

let client: ClusterClient;
let controller: RunningController;
const log: string[] = [];

beforeAll(async () => {
  client = testClient();
  await installCrd(client);
  controller = await runController(client, log);
}, 120_000);

afterAll(async () => {
  await controller?.stop();
  client?.close();
});

describe("a ModuleRelease that requires an interface another release provides", () => {
  it("waits for a provider (OPM3301, retried), then is wired to it", { timeout: 240_000 }, async () => {
    const ns = await freshNamespace(client, "mr-ifc");
    await createRelease(client, ns, "orders", {
      module: { inline: { files: moduleFiles(repo("cli/testdata/orders/cue")) } },
    });
    const waiting = await eventually("the consumer failing to render", async () => {
      const ready = condition(await getRelease(client, ns, "orders"), "Ready");
      return ready?.reason === "RenderFailed" ? ready : undefined;
    });
    expect(waiting.message).toContain("OPM3301");
    expect(waiting.message).toContain(`no other release in namespace ${ns} provides it`);
    // Another release can mend it: retried with backoff, not stalled until the interval.
    const orders = await getRelease(client, ns, "orders");
    expect(condition(orders, "Stalled")?.status).not.toBe("True");
    expect(condition(orders, "Reconciling")?.status).toBe("True");

    await createRelease(client, ns, "interfaces", {
      module: { inline: { files: moduleFiles(repo("examples/interfaces/cue")) } },
    });
    await readyRelease(client, ns, "interfaces");
    const wired = await readyRelease(client, ns, "orders");
    expect(wired.status?.inventory?.entries?.map((e) => `${e.kind}/${e.name}`)).toContain(
      "Deployment/orders",
    );
    const deployment = await getObject<{
      spec: { template: { spec: { containers: { env: unknown[] }[] } } };
    }>(client, `/apis/apps/v1/namespaces/${ns}/deployments/orders`);
    expect(deployment?.spec.template.spec.containers[0]!.env).toEqual([
      { name: "DB_HOST", value: `database.${ns}.svc.cluster.local` },
      { name: "DB_NAME", value: "shop" },
      { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
      { name: "DB_PORT", value: "5432" },
    ]);
  });
});
