import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { catalogReference, fieldRows, typeOf } from "./catalog-reference.ts";
import type { CatalogDescription, DefinitionDescription } from "./description.ts";
import { CATALOG_REFERENCE_FILE, formattedCatalogReference, GENERATED_DIR } from "./node-io.ts";

const catalog = JSON.parse(await readFile(`${GENERATED_DIR}/catalog.json`, "utf8")) as CatalogDescription;
const definitions = catalog.packages.flatMap((p) => p.definitions);
const byFqn = (fqn: string) => definitions.find((d) => d.metadata.fqn === fqn)!;

describe("the catalog reference", () => {
  it("docs/catalog.md is current (run `npm run docs:catalog` after `npm run gen:catalog`)", async () => {
    expect(await readFile(CATALOG_REFERENCE_FILE, "utf8")).toBe(await formattedCatalogReference());
  });

  it("has a section for every resource, trait, blueprint and policy rule", () => {
    const text = catalogReference(catalog);
    expect(definitions.length).toBeGreaterThan(30);
    for (const def of definitions) {
      expect(text).toContain(`- FQN: \`${def.metadata.fqn}\``);
      if (def.metadata.description !== undefined) expect(text).toContain(def.metadata.description);
    }
  });

  it("lists a definition's fields with type, requiredness, default and doc comment", () => {
    const rows = fieldRows(byFqn("opmodel.dev/resources/workload@v0#Container"));
    expect(rows.find((r) => r.path === "image")).toMatchObject({ type: "string", required: true });
    expect(rows.find((r) => r.path === "imagePullPolicy")).toMatchObject({
      type: '"IfNotPresent" | "Always" | "Never"',
      required: false,
      defaultValue: '"IfNotPresent"',
    });
    expect(rows.find((r) => r.path === "ports")?.type).toBe("map of [PortSchema](#schema-portschema)");
    const cron = fieldRows(byFqn("opmodel.dev/traits/workload@v0#CronJobConfig"));
    expect(cron.find((r) => r.path === "startingDeadlineSeconds")?.type).toBe("integer ≥ 0");
  });

  it("expands inline objects and lists, and takes nested defaults", () => {
    const def: DefinitionDescription = {
      kind: "Trait",
      cueName: "#ExampleTrait",
      mixin: "#Example",
      metadata: { apiVersion: "example.com/t@v0", name: "example", fqn: "example.com/t@v0#Example" },
      specKey: "example",
      defaults: { policy: { mode: "soft" } },
      specSchema: {
        type: "object",
        required: ["rules"],
        properties: {
          policy: {
            type: "object",
            properties: { mode: { enum: ["soft", "hard"], description: "How strict." } },
          },
          rules: {
            type: "array",
            items: { type: "object", properties: { port: { type: "integer", maximum: 9 } } },
          },
        },
      },
    };
    expect(fieldRows(def)).toEqual([
      { path: "policy", type: "object", required: false },
      {
        path: "policy.mode",
        type: '"soft" | "hard"',
        required: false,
        defaultValue: '"soft"',
        description: "How strict.",
      },
      { path: "rules", type: "list of object", required: true },
      { path: "rules[].port", type: "integer ≤ 9", required: false },
    ]);
  });

  it("names what it cannot type instead of guessing", () => {
    expect(typeOf(true)).toBe("any");
    expect(typeOf({ anyOf: [{ type: "number" }, { type: "string", pattern: "^a$" }] })).toBe(
      "number | string matching `^a$`",
    );
  });
});
