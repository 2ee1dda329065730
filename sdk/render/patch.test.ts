// The three patch kinds over one object (sdk/render/patch.ts): RFC 6902 operations and their
// failures, RFC 7386 merge, and the strategic merge subset (lists merged by their Kubernetes merge
// key, `$patch` directives, every other list replaced).
import { describe, expect, it } from "vitest";
import { patchObject } from "./patch.ts";

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", labels: { a: "1" } },
  spec: {
    replicas: 1,
    template: {
      spec: {
        containers: [
          { name: "app", image: "app:1", ports: [{ containerPort: 80, name: "http" }], args: ["-a"] },
          { name: "proxy", image: "proxy:1" },
        ],
        volumes: [
          { name: "cache", emptyDir: {} },
          { name: "tmp", emptyDir: {} },
        ],
      },
    },
  },
};

describe("json patch (RFC 6902)", () => {
  it("adds, replaces, removes, moves, copies and tests, in order", () => {
    const out = patchObject(deployment, "json", [
      { op: "add", path: "/spec/template/spec/containers/-", value: { name: "log", image: "log:1" } },
      { op: "replace", path: "/spec/replicas", value: 3 },
      { op: "remove", path: "/metadata/labels/a" },
      { op: "copy", from: "/spec/replicas", path: "/spec/minReadySeconds" },
      { op: "move", from: "/spec/template/spec/volumes/1", path: "/spec/template/spec/volumes/0" },
      { op: "test", path: "/spec/replicas", value: 3 },
      { op: "add", path: "/metadata/annotations", value: { "x~y/z": "1" } },
      { op: "replace", path: "/metadata/annotations/x~0y~1z", value: "2" },
    ]) as typeof deployment & { spec: { minReadySeconds: number }; metadata: { annotations: object } };
    expect(out.spec.replicas).toBe(3);
    expect(out.spec.minReadySeconds).toBe(3);
    expect(out.metadata.labels).toEqual({});
    expect(out.metadata.annotations).toEqual({ "x~y/z": "2" });
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(["app", "proxy", "log"]);
    expect(out.spec.template.spec.volumes.map((v) => v.name)).toEqual(["tmp", "cache"]);
    // The input is never changed.
    expect(deployment.spec.replicas).toBe(1);
  });

  it.each([
    [{ op: "replace", path: "/spec/nothing", value: 1 }, "operation 1: /spec/nothing does not exist"],
    [
      { op: "remove", path: "/spec/template/spec/containers/5" },
      "/spec/template/spec/containers/5 does not exist",
    ],
    [{ op: "add", path: "/spec/template/spec/containers/9", value: {} }, "is out of range"],
    [{ op: "add", path: "spec", value: 1 }, 'path "spec" must start with /'],
    [{ op: "test", path: "/spec/replicas", value: 2 }, "operation 1 (test) failed: /spec/replicas differs"],
    [{ op: "add", path: "/spec/x" }, "operation 1 (add) needs a value"],
    [{ op: "move", path: "/spec/x" }, "operation 1 (move) needs a from"],
    [{ op: "upsert", path: "/spec/x", value: 1 }, 'unknown op "upsert"'],
    [{ path: "/spec/x" }, "operation 1 needs an op and a path"],
  ])("refuses %j: %s", (operation, message) => {
    expect(() => patchObject(deployment, "json", [operation])).toThrow(message);
  });

  it("must be a list of operations", () => {
    expect(() => patchObject(deployment, "json", { op: "add" })).toThrow("must be a list of operations");
  });
});

describe("merge patch (RFC 7386)", () => {
  it("merges objects, removes fields set to null, replaces lists whole", () => {
    const out = patchObject(deployment, "merge", {
      metadata: { labels: { a: null, b: "2" } },
      spec: { template: { spec: { volumes: [{ name: "only", emptyDir: {} }] } } },
    }) as typeof deployment;
    expect(out.metadata.labels).toEqual({ b: "2" });
    expect(out.spec.template.spec.volumes).toEqual([{ name: "only", emptyDir: {} }]);
    expect(out.spec.template.spec.containers).toHaveLength(2);
  });

  it("must be an object", () => {
    expect(() => patchObject(deployment, "merge", ["x"])).toThrow("a merge patch must be an object");
  });
});

describe("strategic merge", () => {
  it("merges containers by name, container ports by containerPort, and replaces other lists", () => {
    const out = patchObject(deployment, "strategic", {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "app",
                ports: [{ containerPort: 80, protocol: "TCP" }, { containerPort: 9090 }],
                args: ["-b"],
              },
              { name: "new", image: "new:1" },
            ],
          },
        },
      },
    }) as typeof deployment;
    const [app, proxy, added] = out.spec.template.spec.containers;
    expect(app).toEqual({
      name: "app",
      image: "app:1",
      ports: [{ containerPort: 80, name: "http", protocol: "TCP" }, { containerPort: 9090 }],
      args: ["-b"],
    });
    expect(proxy).toEqual({ name: "proxy", image: "proxy:1" });
    expect(added).toEqual({ name: "new", image: "new:1" });
  });

  it("deletes an item with $patch: delete and replaces a struct with $patch: replace", () => {
    const out = patchObject(deployment, "strategic", {
      metadata: { labels: { $patch: "replace", only: "this" } },
      spec: { template: { spec: { volumes: [{ name: "cache", $patch: "delete" }] } } },
    }) as typeof deployment;
    expect(out.metadata.labels).toEqual({ only: "this" });
    expect(out.spec.template.spec.volumes).toEqual([{ name: "tmp", emptyDir: {} }]);
  });

  it("refuses an item without its merge key and an unknown directive", () => {
    expect(() =>
      patchObject(deployment, "strategic", {
        spec: { template: { spec: { containers: [{ image: "x" }] } } },
      }),
    ).toThrow("an item of containers needs its merge key name");
    expect(() => patchObject(deployment, "strategic", { spec: { $patch: "merge" } })).toThrow(
      'unknown $patch directive "merge"',
    );
  });
});

it("refuses an unknown patch type", () => {
  expect(() => patchObject(deployment, "upsert" as never, {})).toThrow('unknown patch type "upsert"');
});
