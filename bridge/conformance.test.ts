// The CUE conformance suite for values, run against both engine builds: exact values for what
// must evaluate, and for what must fail, the typed error with the issue's path and position.
// Modules and registries: conformance-modules.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportCases } from "./__tests__/cases.ts";
import { expectIssue, failure, firstPosition } from "./__tests__/expect-engine.ts";
import { ensureEngineBuilt } from "./__tests__/support.ts";
import { createCueEngine } from "./create.ts";
import type { CueEngine } from "./engine.ts";

beforeAll(() => ensureEngineBuilt());

describe.each(["native", "wasm"] as const)("CUE engine conformance (%s)", (kind) => {
  let engine: CueEngine;

  beforeAll(() => {
    engine = createCueEngine({ engine: kind });
  });
  afterAll(async () => {
    await engine.close();
  });

  it("reports which build answers and the pinned CUE version", async () => {
    expect(await engine.version()).toEqual({
      protocol: 1,
      cue: "v0.17.1",
      go: expect.stringMatching(/^go1\.26/),
      engine: kind,
    });
  });

  describe("export", () => {
    it.each(exportCases)("$name", async (c) => {
      const value = await engine.compile(c.source, { filename: "case.cue" });
      const exported = engine.export(value, c.path === undefined ? {} : { path: c.path });
      if (c.error === undefined) {
        expect(await exported).toEqual(c.value);
      } else {
        const error = await failure(exported);
        expect(error.reason).toBe("CueError");
        expectIssue(error.issues, c.error);
      }
      await value.release();
    });
  });

  describe("values and schemas", () => {
    it("a syntax error has its exact position", async () => {
      const error = await failure(engine.compile("a: 1\nb: {\n\tc: 2\n", { filename: "broken.cue" }));
      expect(error.reason).toBe("CueError");
      expect(error.issues).toEqual([
        {
          path: "",
          message: "expected '}', found 'EOF'",
          positions: [{ file: "broken.cue", line: 3, column: 7 }],
        },
      ]);
    });

    it("validate returns every error, each with its path and all positions", async () => {
      const v = await engine.compile("a: int\nb: string\nc: 1\n", { filename: "v.cue" });
      expect(await engine.validate(v)).toEqual({ ok: true, issues: [] });
      const strict = await engine.validate(v, { concrete: true });
      expect(strict.issues.map((i) => [i.path, i.message, firstPosition(i)])).toEqual([
        ["a", "incomplete value int", "v.cue:1:4"],
        ["b", "incomplete value string", "v.cue:2:4"],
      ]);
      const conflicts = await engine.compile("c: 1 & 2\nd: {e: 1}\nd: e: 3\n", { filename: "w.cue" });
      const report = await engine.validate(conflicts);
      expect(report.issues.map((i) => [i.path, i.positions.map((p) => `${p.line}:${p.column}`)])).toEqual([
        ["c", ["1:4", "1:8"]],
        ["d.e", ["2:8", "3:7"]],
      ]);
    });

    it("validate of a schema passes without concrete and fails with it", async () => {
      const v = await engine.compile("#App: {name!: string}\napp: #App\n", { filename: "s.cue" });
      expect(await engine.validate(v)).toEqual({ ok: true, issues: [] });
      const report = await engine.validate(v, { concrete: true });
      expect(report.issues.map((i) => [i.path, i.message, firstPosition(i)])).toEqual([
        ["app.name", "field is required but not present", "s.cue:1:8"],
      ]);
    });

    it("fields lists definitions, hidden, optional and required fields with kinds", async () => {
      const v = await engine.compile('a: 1\nb?: string\nc!: int\n#D: {x: int}\n_h: "x"\nd: *1 | int\n');
      const fields = await engine.fields(v);
      expect(fields.map((f) => [f.selector, f.kind, f.definition, f.hidden, f.optional, f.required])).toEqual(
        [
          ["a", "int", false, false, false, false],
          ["b?", "string", false, false, true, false],
          ["c!", "int", false, false, false, true],
          ["#D", "struct", true, false, false, false],
          ["_h", "string", false, true, false, false],
          ["d", "int", false, false, false, false],
        ],
      );
      expect(fields.find((f) => f.name === "d")?.hasDefault).toBe(true);
      const regular = await engine.fields(v, { definitions: false, hidden: false, optional: false });
      expect(regular.map((f) => f.name)).toEqual(["a", "d"]);
    });

    it("lookup finds nested, definition and hidden paths, and reports missing ones", async () => {
      const v = await engine.compile('#components: web: {image: "nginx"}\n_secret: 42\n');
      const image = await engine.lookup(v, "#components.web.image");
      expect(image).toBeDefined();
      expect(await engine.export(image!)).toBe("nginx");
      const hidden = await engine.lookup(v, "_secret");
      expect(await engine.export(hidden!)).toBe(42);
      expect(await engine.lookup(v, "#components.db")).toBeUndefined();
    });

    it("export can include hidden fields and definitions", async () => {
      const v = await engine.compile("a: 1\n_h: 2\n#D: {x: 3}\n");
      expect(await engine.export(v)).toEqual({ a: 1 });
      expect(await engine.export(v, { hidden: true, definitions: true })).toEqual({
        a: 1,
        _h: 2,
        "#D": { x: 3 },
      });
    });

    it("eval prints a schema as CUE; export prints data as CUE and YAML", async () => {
      const v = await engine.compile("#D: {x: int | *1}\nd: #D\n");
      expect(await engine.eval(v, { path: "#D" })).toBe("x: int | *1\n");
      expect(await engine.eval(v)).toBe("#D: x: int | *1\nd: #D\n");
      expect(await engine.exportText(v, "cue")).toBe("d: x: 1\n");
      expect(await engine.exportText(v, "yaml")).toBe("d:\n  x: 1\n");
    });

    it("fill with JSON and with CUE returns new values", async () => {
      const schema = await engine.compile("#Config: {replicas: int & >0, image: string}\nconfig: #Config\n");
      const filled = await engine.fill(schema, "config", { json: { replicas: 2, image: "nginx" } });
      expect(await engine.export(filled, { path: "config" })).toEqual({ replicas: 2, image: "nginx" });
      const bad = await engine.fill(schema, "config.replicas", { cue: "0" });
      const report = await engine.validate(bad);
      expect(report.issues.map((i) => [i.path, i.message])).toEqual([
        ["config.replicas", "invalid value 0 (out of bound >0)"],
      ]);
      await expect(engine.export(schema, { path: "config" })).rejects.toMatchObject({ reason: "CueError" });
    });

    it("unify combines two values and keeps conflicts as issues", async () => {
      const a = await engine.compile("x: int\ny: 1\n", { filename: "a.cue" });
      const b = await engine.compile("x: 2\n", { filename: "b.cue" });
      expect(await engine.export(await engine.unify(a, b))).toEqual({ x: 2, y: 1 });
      const c = await engine.compile('y: "one"\n', { filename: "c.cue" });
      const error = await failure(engine.export(await engine.unify(a, c)));
      expect(error.issues[0]?.path).toBe("y");
      expect(error.issues[0]?.positions.map((p) => `${p.file}:${p.line}:${p.column}`)).toEqual([
        "a.cue:2:4",
        "c.cue:1:4",
      ]);
    });

    it("format and fromJSON emit canonical CUE", async () => {
      expect(await engine.format("a:   1\nb: {c:2}")).toBe("a: 1\nb: {c: 2}\n");
      expect(await engine.fromJSON('{"name": "web", "ports": [80, 443], "tls": true}')).toBe(
        'name: "web"\nports: [80, 443]\ntls: true\n',
      );
      const error = await failure(engine.fromJSON('{"a": }', { filename: "bad.json" }));
      expect(firstPosition(error.issues[0])).toBe("bad.json:1:7");
    });

    it("toJSONSchema and toOpenAPI describe a definition", async () => {
      const v = await engine.compile("#Port: {name: string, port: int & >0 & <65536, tls?: bool}\n");
      expect(await engine.toJSONSchema(v, { path: "#Port" })).toEqual({
        $schema: "https://json-schema.org/draft/2020-12/schema",
        type: "object",
        additionalProperties: false,
        properties: {
          name: { type: "string" },
          port: {
            allOf: [{ type: "number" }, { type: "integer", exclusiveMaximum: 65536, exclusiveMinimum: 0 }],
          },
          tls: { type: "boolean" },
        },
        required: ["name", "port"],
      });
      const doc = (await engine.toOpenAPI(v, { title: "ports", version: "v1" })) as Record<string, unknown>;
      expect(doc).toEqual({
        openapi: "3.0.0",
        info: { title: "ports", version: "v1" },
        paths: {},
        components: {
          schemas: {
            Port: {
              type: "object",
              required: ["name", "port"],
              properties: {
                name: { type: "string" },
                port: {
                  type: "integer",
                  minimum: 0,
                  exclusiveMinimum: true,
                  maximum: 65536,
                  exclusiveMaximum: true,
                },
                tls: { type: "boolean" },
              },
            },
          },
        },
      });
    });

    it("fromJSONSchema emits a CUE schema", async () => {
      const source = await engine.fromJSONSchema(
        JSON.stringify({
          type: "object",
          required: ["name"],
          properties: { name: { type: "string" }, n: { type: "integer" } },
        }),
      );
      expect(source).toBe('"name"!: string\n"n"?:    int\n...\n');
      const v = await engine.compile(source);
      expect(
        await engine.validate(await engine.fill(v, "", { json: { name: "x", n: 1 } }), { concrete: true }),
      ).toEqual({
        ok: true,
        issues: [],
      });
      const wrong = await engine.validate(await engine.fill(v, "", { json: { n: "x" } }));
      expect(wrong.ok).toBe(false);
    });

    it("a released value can no longer be used", async () => {
      const v = await engine.compile("a: 1");
      await v.release();
      expect(v.released).toBe(true);
      expect((await failure(engine.export(v))).reason).toBe("HandleInvalidated");
    });
  });
});
