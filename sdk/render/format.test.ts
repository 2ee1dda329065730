import { describe, expect, it } from "vitest";
import { formatManifests } from "./format.ts";

const a = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "a" },
  data: { long: "x ".repeat(60).trim() },
};
const b = { apiVersion: "v1", kind: "Secret", metadata: { name: "b" } };

describe("formatManifests", () => {
  it("writes a YAML stream without folding long strings", () => {
    const text = formatManifests([{ object: a }, { object: b }]);
    expect(text.split("---\n")).toHaveLength(2);
    expect(text).toContain(`long: ${"x ".repeat(60).trim()}\n`);
    expect(text.startsWith("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n")).toBe(true);
  });
  it("writes one JSON v1 List of plain objects", () => {
    expect(JSON.parse(formatManifests([a, b], "json"))).toEqual({
      apiVersion: "v1",
      kind: "List",
      items: [a, b],
    });
  });
  it("writes an object used twice in full both times, never as a YAML alias", () => {
    const shared = { app: "web" };
    const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "w", labels: shared } };
    const service = { apiVersion: "v1", kind: "Service", metadata: { name: "w", labels: shared } };
    const text = formatManifests([deployment, service]);
    expect(text).not.toMatch(/[&*]a\d/);
    expect(text.match(/app: web/g)).toHaveLength(2);
    const twice = formatManifests([
      { ...deployment, spec: { selector: shared, template: { labels: shared } } },
    ]);
    expect(twice).not.toContain("*");
  });
});
