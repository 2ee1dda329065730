// The CRD is generated from the zod schemas: the committed file must be the generated one, and
// the generated schema must be structural (what the API server requires of a CRD).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { crdYaml, moduleReleaseCrd, structuralSchema } from "./crd.ts";
import { ModuleReleaseSpec } from "./types.ts";

type Node = Record<string, unknown>;

/** Every schema node below `node`, with its path. */
function* nodes(node: Node, path = ""): Generator<[string, Node]> {
  yield [path, node];
  for (const [key, value] of Object.entries((node["properties"] as Node | undefined) ?? {}))
    yield* nodes(value as Node, `${path}.${key}`);
  if (typeof node["items"] === "object") yield* nodes(node["items"] as Node, `${path}[]`);
  if (typeof node["additionalProperties"] === "object")
    yield* nodes(node["additionalProperties"] as Node, `${path}{}`);
}

describe("ModuleRelease CRD", () => {
  it("controller/deploy/crd.yaml is the generated CRD (run `npm run gen:crd`)", () => {
    const committed = readFileSync(new URL("../deploy/crd.yaml", import.meta.url), "utf8");
    expect(committed).toBe(crdYaml());
  });

  it("is structural: every node typed or preserving unknown fields, no keywords the API server refuses", () => {
    const crd = moduleReleaseCrd() as { spec: { versions: { schema: { openAPIV3Schema: Node } }[] } };
    const root = crd.spec.versions[0]!.schema.openAPIV3Schema;
    const refused = ["$schema", "$ref", "propertyNames", "oneOf", "anyOf", "allOf", "const", "nullable"];
    for (const [path, node] of nodes(root)) {
      expect(node["type"] ?? node["x-kubernetes-preserve-unknown-fields"], `type at ${path}`).toBeDefined();
      for (const key of refused) expect(node[key], `${key} at ${path}`).toBeUndefined();
      if (node["properties"] !== undefined)
        expect(node["additionalProperties"], `at ${path}`).toBeUndefined();
    }
  });

  it("keeps the spec's defaults, descriptions and the one-of rule on module", () => {
    const spec = structuralSchema(ModuleReleaseSpec) as { properties: Record<string, Node> };
    expect(spec.properties["interval"]).toMatchObject({ type: "string", default: "10m" });
    expect(spec.properties["prune"]).toMatchObject({ type: "boolean", default: true });
    expect(spec.properties["values"]).toMatchObject({
      type: "object",
      "x-kubernetes-preserve-unknown-fields": true,
    });
    expect(spec.properties["module"]!["x-kubernetes-validations"]).toEqual([
      { rule: "has(self.ref) != has(self.inline)", message: "give exactly one of ref and inline" },
    ]);
    expect(String(spec.properties["values"]!["description"])).toContain("use valuesFrom");
  });

  it("the zod schema refuses what the CRD refuses: both ref and inline, a bad interval", () => {
    const both = { module: { ref: "example.com/hello@v0.1.0", inline: { files: {} } } };
    expect(ModuleReleaseSpec.safeParse(both).success).toBe(false);
    expect(
      ModuleReleaseSpec.safeParse({ module: { ref: "example.com/hello@v0.1.0" }, interval: "soon" }).success,
    ).toBe(false);
    const parsed = ModuleReleaseSpec.parse({ module: { ref: "example.com/hello@v0.1.0" } });
    expect(parsed).toMatchObject({ interval: "10m", timeout: "5m", suspend: false, prune: true });
  });
});
