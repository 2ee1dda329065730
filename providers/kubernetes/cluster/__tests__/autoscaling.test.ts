// Issue 11, item 5: autoscaled workloads leave `replicas` to the autoscaler. A Deployment and a
// StatefulSet rendered with `scaling.auto` carry no `replicas`, so after the autoscaler has scaled
// them, an apply of a changed release neither fails on a field conflict nor scales them back.
// The control plane has no metrics server, so its HorizontalPodAutoscaler controller cannot pick
// a size on its own; the test scales the way that controller does, through the `scale`
// subresource under a field manager of its own.
import { afterAll, describe, expect, it } from "vitest";
import { render } from "../../../../sdk/index.ts";
import { C, T, component, testModule } from "../../__tests__/fixtures.ts";
import { kubernetesProvider } from "../../provider.ts";
import type { KubernetesComponentSpec } from "../../spec.ts";
import { apply } from "../apply.ts";
import type { ReleaseInput } from "../desired.ts";
import { freshNamespace, testClient } from "./helpers.ts";

const client = testClient();
afterAll(() => client.close());

const AUTOSCALER = "horizontal-pod-autoscaler";

const AUTO: KubernetesComponentSpec["scaling"] = {
  auto: { min: 2, max: 5, metrics: [{ type: "cpu", target: { averageUtilization: 80 } }] },
};

async function autoscaledRelease(
  namespace: string,
  image: string,
  scaling: KubernetesComponentSpec["scaling"] = AUTO,
): Promise<ReleaseInput> {
  const scaled = (workloadType: "stateless" | "stateful") =>
    component(workloadType === "stateless" ? "web" : "db", {
      workloadType,
      resources: [C.container],
      traits: [T.scaling],
      spec: {
        container: { name: "main", image: `nginx:${image}` },
        scaling,
      } as KubernetesComponentSpec,
    });
  const module = testModule("shop", { web: scaled("stateless"), db: scaled("stateful") });
  const result = await render({ module, provider: kubernetesProvider, namespace });
  expect(result.errors.map(String)).toEqual([]);
  if (result.release === undefined) throw new Error("no release");
  return { release: result.release, resources: result.resources };
}

async function replicasOf(path: string): Promise<number | undefined> {
  return (await client.json<{ spec: { replicas?: number } }>("GET", path, path)).spec.replicas;
}

describe("autoscaled workloads", () => {
  it("leave replicas to the autoscaler: a re-apply neither conflicts nor scales back", async () => {
    const ns = await freshNamespace(client, "autoscale");
    const v1 = await autoscaledRelease(ns, "1.27");
    for (const r of v1.resources) {
      const object = r.object as { kind: string; spec?: { replicas?: number } };
      if (object.kind === "Deployment" || object.kind === "StatefulSet")
        expect(object.spec).not.toHaveProperty("replicas");
    }
    expect(v1.resources.map((r) => (r.object as { kind: string }).kind)).toContain("HorizontalPodAutoscaler");
    await apply(v1, { client, wait: false });

    const workloads = [
      `/apis/apps/v1/namespaces/${ns}/deployments/web`,
      `/apis/apps/v1/namespaces/${ns}/statefulsets/db`,
    ];
    for (const path of workloads) {
      await client.json("PATCH", `${path}/scale`, "scale", {
        body: { spec: { replicas: 4 } },
        contentType: "application/merge-patch+json",
        query: { fieldManager: AUTOSCALER },
      });
    }

    // A new image: the workloads change, and nothing may touch what the autoscaler set.
    const result = await apply(await autoscaledRelease(ns, "1.28"), { client, wait: false });
    expect(
      result.objects
        .filter((o) => o.action === "configured")
        .map((o) => o.id.kind)
        .sort(),
    ).toEqual(["Deployment", "StatefulSet"]);
    for (const path of workloads) expect(await replicasOf(path)).toBe(4);
  });
});

describe("turning autoscaling on", () => {
  it("keeps the replicas running until the autoscaler takes over", async () => {
    const ns = await freshNamespace(client, "autoscale-on");
    const fixed = await autoscaledRelease(ns, "1.27", { count: 3 });
    await apply(fixed, { client, wait: false });
    const path = `/apis/apps/v1/namespaces/${ns}/deployments/web`;
    expect(await replicasOf(path)).toBe(3);
    await apply(await autoscaledRelease(ns, "1.27"), { client, wait: false });
    // Without a hand-over the server would default the dropped field to 1.
    expect(await replicasOf(path)).toBe(3);
  });
});
