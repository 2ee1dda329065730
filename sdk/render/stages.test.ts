import { describe, expect, it } from "vitest";
import { podReferences } from "./references.ts";
import { planStages, type ComponentDependency, type StageInput, type StagePlan } from "./stages.ts";

const obj = (apiVersion: string, kind: string, name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion,
  kind,
  metadata: { name, namespace: "shop" },
  ...extra,
});
const at = (component: string, object: StageInput["object"]): StageInput => ({ component, object });

const configMap = obj("v1", "ConfigMap", "web-config");
const secret = obj("v1", "Secret", "web-tls");
const account = obj("v1", "ServiceAccount", "web");
const claim = obj("v1", "PersistentVolumeClaim", "data");
const deployment = obj("apps/v1", "Deployment", "web", {
  spec: {
    template: {
      spec: {
        serviceAccountName: "web",
        volumes: [{ name: "config", configMap: { name: "web-config" } }],
        containers: [
          { name: "web", env: [{ name: "TLS", valueFrom: { secretKeyRef: { name: "web-tls", key: "k" } } }] },
        ],
      },
    },
  },
});
const crd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  spec: { group: "example.com", names: { kind: "Widget", plural: "widgets" }, scope: "Namespaced" },
};
const widget = { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } };

/** `stage: Kind/name, ...` lines: the plan at a glance. */
function shape(plan: StagePlan): string[] {
  return plan.stages.map(
    (s) => `${s.index}: ${s.objects.map((o) => `${o.ref.kind}/${o.ref.name}`).join(", ")}`,
  );
}

describe("planStages", () => {
  it("puts a workload after the ConfigMaps, Secrets, ServiceAccounts it references", () => {
    const result = planStages(
      [at("web", deployment), at("web", configMap), at("web", secret), at("web", account)],
      {
        namespace: "shop",
      },
    );
    expect(result.errors).toEqual([]);
    expect(result.stageOf).toEqual([1, 0, 0, 0]);
    expect(shape(result.plan)).toEqual([
      "0: ServiceAccount/web, ConfigMap/web-config, Secret/web-tls",
      "1: Deployment/web",
    ]);
    expect(result.plan.stages[1]!.objects[0]!.after).toEqual([
      {
        reason: "references",
        ref: { apiVersion: "v1", kind: "ServiceAccount", namespace: "shop", name: "web" },
      },
      {
        reason: "references",
        ref: { apiVersion: "v1", kind: "ConfigMap", namespace: "shop", name: "web-config" },
      },
      { reason: "references", ref: { apiVersion: "v1", kind: "Secret", namespace: "shop", name: "web-tls" } },
    ]);
  });

  it("ignores references to objects the release does not render", () => {
    const result = planStages([at("web", deployment)], { namespace: "shop" });
    expect(shape(result.plan)).toEqual(["0: Deployment/web"]);
  });

  it("does not link objects of the same name in another namespace", () => {
    const elsewhere = { ...configMap, metadata: { name: "web-config", namespace: "other" } };
    expect(
      shape(planStages([at("web", deployment), at("web", elsewhere)], { namespace: "shop" }).plan),
    ).toEqual(["0: ConfigMap/web-config, Deployment/web"]);
  });

  it("puts custom resources after their CRD, and a namespaced object without namespace in the release's", () => {
    const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } };
    const result = planStages([at("w", widget), at("w", crd), at("w", ns)], { namespace: "shop" });
    expect(shape(result.plan)).toEqual([
      "0: CustomResourceDefinition/widgets.example.com, Namespace/shop",
      "1: Widget/w",
    ]);
    expect(result.plan.stages[1]!.objects[0]!.ref.namespace).toBe("shop");
    expect(result.plan.stages[1]!.objects[0]!.after.map((a) => a.reason)).toEqual([
      "definition",
      "namespace",
    ]);
  });

  it("keeps a custom resource of a cluster-scoped CRD out of the release namespace", () => {
    const clusterCrd = { ...crd, spec: { ...crd.spec, scope: "Cluster" } };
    const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } };
    const result = planStages([at("w", widget), at("w", clusterCrd), at("w", ns)], { namespace: "shop" });
    expect(result.plan.stages[1]!.objects[0]!.ref.namespace).toBe("");
    expect(result.plan.stages[1]!.objects[0]!.after.map((a) => a.reason)).toEqual(["definition"]);
  });

  it("chains stages: Namespace, then ConfigMap, then the workload", () => {
    const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } };
    const result = planStages([at("web", deployment), at("web", configMap), at("web", ns)], {
      namespace: "shop",
    });
    expect(shape(result.plan)).toEqual(["0: Namespace/shop", "1: ConfigMap/web-config", "2: Deployment/web"]);
  });

  it("orders whole components by dependsOn, listing each dependency once per object", () => {
    const dbSet = obj("apps/v1", "StatefulSet", "db");
    const dbService = obj("v1", "Service", "db");
    const dependencies: ComponentDependency[] = [{ from: "web", to: "db", reason: "dependsOn" }];
    const result = planStages(
      [at("web", configMap), at("web", deployment), at("db", dbSet), at("db", dbService)],
      {
        namespace: "shop",
        dependencies,
        components: ["web", "db"],
      },
    );
    expect(result.errors).toEqual([]);
    expect(shape(result.plan)).toEqual([
      "0: Service/db, StatefulSet/db",
      "1: ConfigMap/web-config",
      "2: Deployment/web",
    ]);
    expect(result.plan.stages[1]!.objects[0]!.after).toEqual([{ reason: "dependsOn", component: "db" }]);
  });

  it("is the same plan for any input order", () => {
    const items = [
      at("web", deployment),
      at("web", configMap),
      at("w", crd),
      at("w", widget),
      at("web", account),
    ];
    const a = planStages(items, { namespace: "shop" }).plan;
    const b = planStages([...items].reverse(), { namespace: "shop" }).plan;
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it("reports a dependsOn cycle once, with where each dependsOn is written", () => {
    const dependencies: ComponentDependency[] = [
      { from: "web", to: "api", reason: "dependsOn", location: { file: "m.opm.ts", line: 9, column: 7 } },
      { from: "api", to: "web", reason: "dependsOn", location: { file: "m.opm.ts", line: 14, column: 7 } },
    ];
    const result = planStages([at("web", deployment), at("api", obj("apps/v1", "Deployment", "api"))], {
      namespace: "shop",
      dependencies,
      components: ["web", "api"],
    });
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors;
    expect(error!.code).toBe("OPM3020");
    expect(error!.message).toBe(
      "the components depend on each other in a cycle:\n  component web dependsOn api\n  component api dependsOn web",
    );
    expect(error!.hint).toBe(
      "remove one of these dependsOn entries (or the reference that closes the cycle)",
    );
    expect(error!.locations).toEqual([
      { file: "m.opm.ts", line: 9, column: 7 },
      { file: "m.opm.ts", line: 14, column: 7 },
    ]);
    expect(result.stageOf).toEqual([0, 0]);
  });

  it("reports a cycle a reference closes: dependsOn one way, a pod template reference the other", () => {
    // db's workload mounts web's ConfigMap, while web waits for db.
    const dbSet = obj("apps/v1", "StatefulSet", "db", {
      spec: {
        template: { spec: { volumes: [{ name: "c", configMap: { name: "web-config" } }], containers: [] } },
      },
    });
    const result = planStages([at("web", configMap), at("db", dbSet)], {
      namespace: "shop",
      dependencies: [
        { from: "web", to: "db", reason: "dependsOn", location: { file: "c.cue", line: 4, column: 3 } },
      ],
      components: ["web", "db"],
    });
    expect(result.errors.map((e) => e.message)).toEqual([
      "the components depend on each other in a cycle:\n  component web dependsOn db\n" +
        "  StatefulSet db in namespace shop (component db) references ConfigMap web-config in namespace shop (component web)",
    ]);
    expect(result.errors[0]!.locations).toEqual([{ file: "c.cue", line: 4, column: 3 }]);
  });

  it("refuses a component that depends on itself", () => {
    const result = planStages([at("web", configMap)], {
      namespace: "shop",
      dependencies: [{ from: "web", to: "web", reason: "dependsOn" }],
      components: ["web"],
    });
    expect(result.errors.map((e) => e.code)).toEqual(["OPM3020"]);
  });

  it("refuses a dependsOn on a component the module does not have, positioned", () => {
    const result = planStages([at("web", configMap)], {
      namespace: "shop",
      dependencies: [
        { from: "web", to: "dbb", reason: "dependsOn", location: { file: "m.cue", line: 3, column: 2 } },
      ],
      components: ["web", "db"],
    });
    expect(result.errors.map((e) => [e.code, e.message, e.hint, e.location])).toEqual([
      [
        "OPM3021",
        "component web depends on dbb, which is no component of this module",
        "name one of: db, web",
        { file: "m.cue", line: 3, column: 2 },
      ],
    ]);
  });
});

describe("podReferences", () => {
  it("reads every place a pod spec names a ConfigMap, Secret, ServiceAccount or PVC", () => {
    const job = {
      kind: "CronJob",
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: {
                serviceAccount: "legacy",
                imagePullSecrets: [{ name: "pull" }],
                volumes: [
                  { secret: { secretName: "certs" } },
                  { persistentVolumeClaim: { claimName: "data" } },
                  { projected: { sources: [{ configMap: { name: "p-cm" } }, { secret: { name: "p-s" } }] } },
                ],
                initContainers: [
                  { envFrom: [{ configMapRef: { name: "env-cm" } }, { secretRef: { name: "env-s" } }] },
                ],
                containers: [{ env: [{ valueFrom: { configMapKeyRef: { name: "env-cm" } } }] }],
              },
            },
          },
        },
      },
    };
    expect(podReferences(job).map((r) => `${r.kind}/${r.name}`)).toEqual([
      "ServiceAccount/legacy",
      "Secret/pull",
      "Secret/certs",
      "PersistentVolumeClaim/data",
      "ConfigMap/p-cm",
      "Secret/p-s",
      "ConfigMap/env-cm",
      "Secret/env-s",
    ]);
    expect(podReferences(claim)).toEqual([]);
  });
});
