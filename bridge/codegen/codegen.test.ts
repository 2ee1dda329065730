// The catalog bindings are generated from the CUE and checked in: this test regenerates them
// through the real CUE engine and fails when catalog/generated differs (run `npm run gen:catalog`).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCueEngine } from "../create.ts";
import type { CueEngine } from "../engine.ts";
import type { CatalogDescription } from "./description.ts";
import { emitCatalog } from "./emit.ts";
import { generateCatalog, type GeneratedCatalog } from "./generate.ts";
import { SchemaConverter } from "./json-schema.ts";
import { readFile } from "node:fs/promises";
import { CATALOG_SCHEMAS_FILE, prettierFormatter, readCatalogSources, readGenerated } from "./node-io.ts";

describe("catalog bindings", () => {
  let engine: CueEngine;
  let generated: GeneratedCatalog;

  beforeAll(async () => {
    engine = createCueEngine();
    generated = await generateCatalog(engine, await readCatalogSources(), prettierFormatter);
  }, 120_000);
  afterAll(async () => {
    await engine.close();
  });

  it("catalog/generated is up to date with catalog/cue (else run `npm run gen:catalog`)", async () => {
    const onDisk = await readGenerated();
    expect([...onDisk.keys()].sort()).toEqual([...generated.files.keys()].sort());
    for (const [name, content] of generated.files) expect(onDisk.get(name), name).toBe(content);
    expect(await readFile(CATALOG_SCHEMAS_FILE, "utf8"), "bridge/codegen/catalog-schemas.ts").toBe(
      generated.schemaTable,
    );
  });

  it("describes every resource, trait, blueprint and policy rule of the catalog", () => {
    const count = (kind: string) =>
      generated.description.packages.flatMap((p) => p.definitions).filter((d) => d.kind === kind).length;
    expect({
      Resource: count("Resource"),
      Trait: count("Trait"),
      Blueprint: count("Blueprint"),
      PolicyRule: count("PolicyRule"),
    }).toEqual({ Resource: 6, Trait: 20, Blueprint: 6, PolicyRule: 8 });
  });

  it("emits the checked-in files from the checked-in description (the emit step alone)", async () => {
    const onDisk = await readGenerated();
    const description = JSON.parse(onDisk.get("catalog.json")!) as CatalogDescription;
    expect(await emitCatalog(description, prettierFormatter)).toEqual(onDisk);
  });
});

describe("JSON Schema conversion", () => {
  const converter = new SchemaConverter({
    refName: (ref) => ({ type: ref.replace("#/$defs/", ""), zod: `${ref.replace("#/$defs/", "")}Zod` }),
  });

  it("merges CUE's int & bounds into one integer schema", () => {
    const out = converter.convert(
      { allOf: [{ type: "number" }, { type: "integer", minimum: 1, maximum: 65535 }] },
      "port",
    );
    expect(out).toEqual({ ts: "number", zod: "z.int().min(1).max(65535)" });
  });

  it("makes `name` optional in maps keyed by name", () => {
    const out = converter.convert(
      {
        type: "object",
        additionalProperties: { $ref: "#/$defs/Port", properties: { name: { type: "string" } } },
      },
      "ports",
    );
    expect(out).toEqual({
      ts: "Readonly<Record<string, KeyNamed<Port>>>",
      zod: "z.record(z.string(), keyNamed(PortZod))",
    });
  });

  it("keeps the fields an embedding adds beside a $ref", () => {
    const out = converter.convert(
      { $ref: "#/$defs/Base", properties: { mountPath: { type: "string" } }, required: ["mountPath"] },
      "mount",
    );
    expect(out.ts).toBe("Base & {\nreadonly mountPath: string;\n}");
    expect(out.zod).toBe("BaseZod.extend({ mountPath: z.string() })");
  });

  it("fails loudly on keywords it does not know", () => {
    expect(() => converter.convert({ type: "string", format: "uri" }, "x")).toThrow(
      /unsupported JSON Schema keyword format/,
    );
  });
});
