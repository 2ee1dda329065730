// Staged apply and delete against the real control plane (docs/staged-apply.md). The order of
// writes is read from the server, not from our own progress events: a watch started at a
// resourceVersion taken before the operation replays every event since, and each event carries
// the object's resourceVersion at that moment, which on this single etcd is the global revision
// of the write. So "A was created before B" is "A's ADDED revision < B's".
import { afterAll, describe, expect, it } from "vitest";
import { isOpmError } from "../../../../sdk/errors.ts";
import { planStages, type ComponentDependency } from "../../../../sdk/render/stages.ts";
import { apply } from "../apply.ts";
import { releaseRefOf, type ReleaseInput } from "../desired.ts";
import type { ClusterEvent } from "../events.ts";
import { readInventory } from "../inventory.ts";
import type { KubeObject } from "../objects.ts";
import { remove } from "../remove.ts";
import { configMap, deployment, freshNamespace, release, testClient } from "./helpers.ts";

const client = testClient();
afterAll(() => client.close());

interface WatchEvent {
  readonly type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  readonly object: KubeObject & { status?: Record<string, unknown> };
}

/** The current revision of the store: where a history watch starts. */
async function revision(namespace: string): Promise<string> {
  const list = await client.json<{ metadata: { resourceVersion: string } }>(
    "GET",
    `/api/v1/namespaces/${namespace}/configmaps`,
    "configmaps",
  );
  return list.metadata.resourceVersion;
}

/** Every event of `path` since `since`, as the server recorded them (the watch ends after 1 s). */
async function history(path: string, since: string): Promise<WatchEvent[]> {
  const res = await client.raw<unknown>("GET", path, {
    query: { watch: "1", resourceVersion: since, timeoutSeconds: "1" },
  });
  expect(res.status).toBe(200);
  if (res.body === undefined) return [];
  if (typeof res.body !== "string") return [res.body as WatchEvent];
  return res.body
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as WatchEvent);
}

/** `kind/name` → the revision of its first event of `type`. */
function revisions(events: readonly WatchEvent[], type: WatchEvent["type"]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of events) {
    const key = `${e.object.kind ?? ""}/${e.object.metadata.name}`;
    if (e.type === type && !out.has(key)) out.set(key, Number(e.object.metadata.resourceVersion));
  }
  return out;
}

/** The stage plan from the real planner, as render gives it. */
function staged(input: ReleaseInput, dependencies: ComponentDependency[] = []): ReleaseInput {
  const { plan, errors } = planStages(input.resources as never, {
    namespace: input.release.namespace,
    dependencies,
  });
  expect(errors).toEqual([]);
  return { ...input, stages: plan };
}

/** A Deployment of `name` that mounts ConfigMap `config`. */
function workloadUsing(name: string, config: string): KubeObject {
  const base = deployment(name) as KubeObject & { spec: { template: { spec: Record<string, unknown> } } };
  base.spec.template.spec["volumes"] = [{ name: "config", configMap: { name: config } }];
  return base;
}

/** A list of events; the deployments' and configmaps' histories in one. */
async function writes(ns: string, since: string): Promise<WatchEvent[]> {
  const [deployments, configMaps] = await Promise.all([
    history(`/apis/apps/v1/namespaces/${ns}/deployments`, since),
    history(`/api/v1/namespaces/${ns}/configmaps`, since),
  ]);
  return [
    ...deployments.map((e) => ({ ...e, object: { ...e.object, kind: "Deployment" } })),
    ...configMaps.map((e) => ({ ...e, object: { ...e.object, kind: "ConfigMap" } })),
  ];
}

describe("staged apply", () => {
  it("applies a workload after the ConfigMap it mounts, and a dependent component after its dependency is ready", async () => {
    const ns = await freshNamespace(client, "staged");
    // web dependsOn db: db's Deployment (stage 0), web's ConfigMap (1), web's Deployment (2).
    const input = staged(
      release("shop", ns, [
        ["db", deployment("db")],
        ["web", configMap("web-config")],
        ["web", workloadUsing("web", "web-config")],
      ]),
      [{ from: "web", to: "db", reason: "dependsOn" }],
    );
    const events: ClusterEvent[] = [];
    const since = await revision(ns);
    const result = await apply(input, { client, timeoutMs: 60_000, onEvent: (e) => events.push(e) });
    expect(result.stages.map((s) => s.map((r) => `${r.kind}/${r.name}`))).toEqual([
      ["Deployment/db"],
      ["ConfigMap/web-config"],
      ["Deployment/web"],
    ]);

    const history = await writes(ns, since);
    const added = revisions(history, "ADDED");
    const db = added.get("Deployment/db")!;
    const config = added.get("ConfigMap/web-config")!;
    const web = added.get("Deployment/web")!;
    expect(db).toBeLessThan(config);
    expect(config).toBeLessThan(web);
    // The gate: web's ConfigMap was written only after db's Deployment reported available.
    const dbReady = history.find(
      (e) =>
        e.object.kind === "Deployment" &&
        e.object.metadata.name === "db" &&
        Number((e.object.status ?? {})["availableReplicas"] ?? 0) >= 1,
    );
    expect(dbReady).toBeDefined();
    expect(Number(dbReady!.object.metadata.resourceVersion)).toBeLessThan(config);

    expect(
      events.flatMap((e) =>
        e.type === "stage" ? [`${e.step} ${e.index + 1}/${e.total} (${e.objects})`] : [],
      ),
    ).toEqual([
      "applying 1/3 (1)",
      "waiting 2/3 (1)",
      "applying 2/3 (1)",
      "waiting 3/3 (2)",
      "applying 3/3 (1)",
    ]);
    // The inventory keeps each object's stage, for delete.
    const inventory = await readInventory(client, releaseRefOf(input));
    const entries = inventory!.changes[inventory!.index[0]!]!.entries;
    expect(entries.map((e) => `${e.ref.kind}/${e.ref.name}:${e.stage ?? 0}`).sort()).toEqual([
      "ConfigMap/web-config:1",
      "Deployment/db:0",
      "Deployment/web:2",
    ]);

    // Delete goes the other way, each stage gone before the next.
    const beforeDelete = await revision(ns);
    const removed = await remove({ name: "shop", namespace: ns }, { client, timeoutMs: 60_000 });
    expect(removed.deleted.map((r) => `${r.kind}/${r.name}`)).toEqual([
      "Deployment/web",
      "ConfigMap/web-config",
      "Deployment/db",
    ]);
    const deleted = revisions(await writes(ns, beforeDelete), "DELETED");
    expect(deleted.get("Deployment/web")!).toBeLessThan(deleted.get("ConfigMap/web-config")!);
    expect(deleted.get("ConfigMap/web-config")!).toBeLessThan(deleted.get("Deployment/db")!);
  });

  it("prunes from the last stage to the first, each stage gone before the next", async () => {
    const ns = await freshNamespace(client, "prune");
    await apply(
      staged(
        release("shop", ns, [
          ["db", deployment("db")],
          ["web", configMap("web-config")],
          ["web", workloadUsing("web", "web-config")],
        ]),
        [{ from: "web", to: "db", reason: "dependsOn" }],
      ),
      { client, timeoutMs: 60_000 },
    );
    const since = await revision(ns);
    const result = await apply(staged(release("shop", ns, [["rest", configMap("rest")]])), {
      client,
      timeoutMs: 60_000,
    });
    expect(result.pruned.map((r) => `${r.kind}/${r.name}`)).toEqual([
      "Deployment/web",
      "ConfigMap/web-config",
      "Deployment/db",
    ]);
    const deleted = revisions(await writes(ns, since), "DELETED");
    expect(deleted.get("Deployment/web")!).toBeLessThan(deleted.get("ConfigMap/web-config")!);
    expect(deleted.get("ConfigMap/web-config")!).toBeLessThan(deleted.get("Deployment/db")!);
  });

  it("without stages from a render, plans them from references: the ConfigMap before its workload", async () => {
    const ns = await freshNamespace(client, "inferred");
    // No `stage` on the resources (a library caller): apply plans from the objects alone.
    const input = release("app", ns, [
      ["web", workloadUsing("web", "web-config")],
      ["web", configMap("web-config")],
    ]);
    const result = await apply(input, { client, wait: false });
    expect(result.stages.map((s) => s.map((r) => r.kind))).toEqual([["ConfigMap"], ["Deployment"]]);
  });

  it("stops before a stage whose dependency does not become ready, naming the stage; later stages are not written", async () => {
    const ns = await freshNamespace(client, "gate");
    // No fake node matches this selector: db never becomes available.
    const stuck = deployment("db", { nodeSelector: { "opm.test/none": "true" } });
    const input = staged(
      release("app", ns, [
        ["db", stuck],
        ["web", configMap("web-config")],
      ]),
      [{ from: "web", to: "db", reason: "dependsOn" }],
    );
    const error = await apply(input, { client, timeoutMs: 3_000 }).catch((e: unknown) => e);
    expect(isOpmError(error) && error.code).toBe("OPM6010");
    expect(isOpmError(error) && error.message).toMatch(
      /^stage 2 of 2 did not start: 1 object\(s\) not ready after 3s:\n {2}Deployment db in namespace gate-\w+: /,
    );
    expect(isOpmError(error) && error.details["stage"]).toBe(1);
    const config = await client.raw("GET", `/api/v1/namespaces/${ns}/configmaps/web-config`);
    expect(config.status).toBe(404);
    // The pending record lists what the run may have written, so the next apply resumes.
    const inventory = await readInventory(client, releaseRefOf(input));
    expect(inventory?.pending?.entries.map((e) => e.ref.name).sort()).toEqual(["db"]);
  });

  it("waits only for what a stage needs: an unrelated object that never gets ready holds nothing up", async () => {
    const ns = await freshNamespace(client, "unrelated");
    const input = staged(
      release("app", ns, [
        ["other", deployment("other", { nodeSelector: { "opm.test/none": "true" } })],
        ["web", configMap("web-config")],
        ["web", workloadUsing("web", "web-config")],
      ]),
    );
    const error = await apply(input, { client, timeoutMs: 3_000 }).catch((e: unknown) => e);
    // The final wait names the stuck object; the gate before web's stage did not wait for it.
    expect(isOpmError(error) && error.message).toMatch(
      /^1 object\(s\) not ready after 3s:\n {2}Deployment other /,
    );
    const web = await client.raw("GET", `/apis/apps/v1/namespaces/${ns}/deployments/web`);
    expect(web.status).toBe(200);
  });

  it("with --no-wait keeps the order of writes but does not wait for readiness", async () => {
    const ns = await freshNamespace(client, "nowait");
    const stuck = deployment("db", { nodeSelector: { "opm.test/none": "true" } });
    const input = staged(
      release("app", ns, [
        ["db", stuck],
        ["web", configMap("web-config")],
      ]),
      [{ from: "web", to: "db", reason: "dependsOn" }],
    );
    const since = await revision(ns);
    await apply(input, { client, wait: false });
    const added = revisions(await writes(ns, since), "ADDED");
    expect(added.get("Deployment/db")!).toBeLessThan(added.get("ConfigMap/web-config")!);
  });
});

describe("staged apply of a CRD and its custom resources in one release", () => {
  function crdAndWidget(ns: string, size: unknown): ReleaseInput {
    const group = `${ns}.opmodel.dev`;
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        scope: "Namespaced",
        names: { plural: "widgets", singular: "widget", kind: "Widget" },
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: { spec: { type: "object", properties: { size: { type: "integer" } } } },
              },
            },
          },
        ],
      },
    } as unknown as KubeObject;
    const widget = { apiVersion: `${group}/v1`, kind: "Widget", metadata: { name: "w1" }, spec: { size } };
    return staged(
      release("widgets", ns, [
        ["api", crd],
        ["api", widget as unknown as KubeObject],
      ]),
    );
  }

  async function dropCrd(ns: string): Promise<void> {
    await client.raw(
      "DELETE",
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${ns}.opmodel.dev`,
    );
  }

  it("waits for the CRD to be established, then checks and applies the custom resource", async () => {
    const ns = await freshNamespace(client, "crdstage");
    try {
      const events: ClusterEvent[] = [];
      const result = await apply(crdAndWidget(ns, 3), {
        client,
        timeoutMs: 60_000,
        onEvent: (e) => events.push(e),
      });
      expect(result.stages.map((s) => s.map((r) => r.kind))).toEqual([
        ["CustomResourceDefinition"],
        ["Widget"],
      ]);
      expect(result.objects.map((o) => `${o.id.kind}:${o.action}`)).toEqual([
        "CustomResourceDefinition:created",
        "Widget:created",
      ]);
      // The gate reported the CRD ready (Established) before the custom resource was written.
      const crdReady = events.findIndex(
        (e) => e.type === "health" && e.id.kind === "CustomResourceDefinition" && e.health.ready,
      );
      const widgetWritten = events.findIndex((e) => e.type === "object" && e.id.kind === "Widget");
      expect(crdReady).toBeGreaterThanOrEqual(0);
      expect(crdReady).toBeLessThan(widgetWritten);
    } finally {
      await dropCrd(ns);
    }
  });

  it("refuses a custom resource its CRD's schema rejects before writing its stage, keeping a pending record", async () => {
    const ns = await freshNamespace(client, "crdbad");
    try {
      const input = crdAndWidget(ns, "three");
      const error = await apply(input, { client, timeoutMs: 60_000 }).catch((e: unknown) => e);
      expect(isOpmError(error) && error.code).toBe("OPM6005");
      expect(isOpmError(error) && error.message).toMatch(
        /^Widget w1 in namespace crdbad-\w+ was rejected: .*\.spec\.size: expected numeric \(int or float\), got string$/,
      );
      const widget = await client.raw("GET", `/apis/${ns}.opmodel.dev/v1/namespaces/${ns}/widgets/w1`);
      expect(widget.status).toBe(404);
      const inventory = await readInventory(client, releaseRefOf(input));
      expect(inventory?.pending?.entries.map((e) => e.ref.kind)).toEqual(["CustomResourceDefinition"]);
    } finally {
      await dropCrd(ns);
    }
  });
});
