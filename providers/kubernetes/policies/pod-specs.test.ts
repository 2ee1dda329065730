// The policy rules find pods through the sdk's one table of workload kinds (the stage planner
// reads the same table): every kind that has a pod template is checked, with the field path a
// violation names. ReplicationController was missing from the rules' former copy of the table.
import { describe, expect, it } from "vitest";
import type { PlatformObject } from "../../../sdk/index.ts";
import { containersOf } from "./pod-specs.ts";

const pod = {
  containers: [{ name: "app", image: "nginx:latest" }],
  initContainers: [{ name: "init", image: "busybox" }],
};
const template = { spec: { template: { spec: pod } } };

const cases: [string, Record<string, unknown>, string][] = [
  ["Pod", { spec: pod }, "spec"],
  ["Deployment", template, "spec.template.spec"],
  ["StatefulSet", template, "spec.template.spec"],
  ["DaemonSet", template, "spec.template.spec"],
  ["ReplicaSet", template, "spec.template.spec"],
  ["ReplicationController", template, "spec.template.spec"],
  ["Job", template, "spec.template.spec"],
  ["CronJob", { spec: { jobTemplate: template } }, "spec.jobTemplate.spec.template.spec"],
];

describe("containersOf", () => {
  it.each(cases)("finds the containers of a %s at their field paths", (kind, body, path) => {
    const object = { apiVersion: "v1", kind, metadata: { name: "x" }, ...body } as PlatformObject;
    expect(containersOf([object]).map((c) => [c.path, c.init])).toEqual([
      [`${path}.initContainers[0]`, true],
      [`${path}.containers[0]`, false],
    ]);
  });

  it("finds nothing in kinds without pods or in a workload without a pod template", () => {
    const objects = [
      { apiVersion: "v1", kind: "Service", metadata: { name: "x" }, spec: { template: { spec: pod } } },
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "y" }, spec: {} },
    ] as PlatformObject[];
    expect(containersOf(objects)).toEqual([]);
  });
});
