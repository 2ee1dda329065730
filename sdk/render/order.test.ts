import { describe, expect, it } from "vitest";
import { canonicalize } from "./canonical.ts";
import { groupOf, objectKey, type ObjectRef } from "../identity/objects.ts";
import { compareObjects, DEFAULT_WEIGHT, weightOf } from "./order.ts";

const ref = (apiVersion: string, kind: string, name: string, namespace = "ns"): ObjectRef => ({
  apiVersion,
  kind,
  namespace,
  name,
});

describe("ordering", () => {
  it("uses upstream's weights, custom resources last", () => {
    expect(weightOf("CustomResourceDefinition")).toBe(-100);
    expect(weightOf("Secret")).toBe(weightOf("ConfigMap"));
    expect(weightOf("HorizontalPodAutoscaler")).toBe(200);
    expect(weightOf("Certificate")).toBe(DEFAULT_WEIGHT);
  });
  it("sorts by weight, then group, kind, namespace and name", () => {
    const refs = [
      ref("example.com/v1", "Widget", "a"),
      ref("apps/v1", "StatefulSet", "a"),
      ref("apps/v1", "Deployment", "b"),
      ref("apps/v1", "Deployment", "a", "z"),
      ref("apps/v1", "Deployment", "a"),
      ref("v1", "ConfigMap", "x"),
      ref("v1", "Secret", "a"),
      ref("v1", "Namespace", "ns", ""),
    ];
    expect(refs.sort(compareObjects).map((r) => `${r.kind}/${r.namespace}/${r.name}`)).toEqual([
      "Namespace//ns",
      "ConfigMap/ns/x",
      "Secret/ns/a",
      "Deployment/ns/a",
      "Deployment/ns/b",
      "Deployment/z/a",
      "StatefulSet/ns/a",
      "Widget/ns/a",
    ]);
  });
  it("keys objects by group, not version", () => {
    expect(groupOf("v1")).toBe("");
    expect(groupOf("autoscaling/v2")).toBe("autoscaling");
    expect(objectKey(ref("autoscaling/v1", "HorizontalPodAutoscaler", "a"))).toBe(
      objectKey(ref("autoscaling/v2", "HorizontalPodAutoscaler", "a")),
    );
  });
});

describe("canonicalize", () => {
  it("puts apiVersion, kind, metadata, name, namespace first, sorts the rest, keeps arrays", () => {
    const out = canonicalize({
      spec: { z: 1, a: [{ value: 1, name: "b" }, { name: "a" }] },
      metadata: { labels: { b: "1", a: "2" }, namespace: "n", name: "x" },
      kind: "K",
      apiVersion: "v1",
      dropped: undefined,
    });
    expect(JSON.stringify(out)).toBe(
      '{"apiVersion":"v1","kind":"K","metadata":{"name":"x","namespace":"n","labels":{"a":"2","b":"1"}},' +
        '"spec":{"a":[{"name":"b","value":1},{"name":"a"}],"z":1}}',
    );
  });
});
