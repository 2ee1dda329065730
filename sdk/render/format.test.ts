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
  it("writes a JSON array of plain objects", () => {
    expect(JSON.parse(formatManifests([a, b], "json"))).toEqual([a, b]);
  });
});
