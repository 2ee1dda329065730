import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ConfigSchema } from "../ir/module.ts";
import { checkValuesData } from "./check.ts";
import { layerValues, validateValues } from "./layer.ts";
import { deepMerge, setPath } from "./merge.ts";
import { parseSetExpression } from "./set.ts";
import { MAX_VALUES_TEXT_BYTES, MAX_VALUES_TEXT_ITEMS, MAX_VALUES_TEXT_NESTING } from "./sources.ts";

/** A ConfigSchema over zod, as the dsl provides one; reports every issue. */
function zodSchema(schema: z.ZodType): ConfigSchema {
  return {
    validate(values) {
      const parsed = schema.safeParse(values);
      if (parsed.success) return { issues: [], value: parsed.data };
      return {
        issues: parsed.error.issues.map((issue) => ({
          path: issue.path.filter((p): p is string | number => typeof p !== "symbol"),
          message: issue.message,
        })),
      };
    },
  };
}

const config = zodSchema(
  z.strictObject({
    image: z.strictObject({ repository: z.string(), tag: z.string() }),
    replicas: z.number().int(),
    service: z.strictObject({ port: z.number().int().max(65535) }),
  }),
);

const defaults = { image: { repository: "nginx", tag: "1.27" }, replicas: 1, service: { port: 80 } };

describe("values layering", () => {
  it("merges defaults, files in order, then --set; maps merge, lists are replaced", () => {
    const { layered, errors } = layerValues({
      defaults: { a: { b: 1, c: [1, 2] }, keep: true },
      files: [
        { name: "one.yaml", text: "a:\n  b: 2\n  c: [3]\n" },
        { name: "two.json", text: '{"a": {"d": "x"}}' },
        { name: "three.ts", data: { a: { d: "y" } } },
      ],
      set: ["a.e[1].f=true", "a.g=007", 'a.h="12"', "a.i=3.5"],
    });
    expect(errors).toEqual([]);
    expect(layered?.values).toEqual({
      a: { b: 2, c: [3], d: "y", e: [null, { f: true }], g: "007", h: "12", i: 3.5 },
      keep: true,
    });
  });

  it("reports three wrong fields at once, each at its line:col in the user's file", async () => {
    const text = ["image:", "  tag: 42", 'replicas: "three"', "service:", "  port: 70000", ""].join("\n");
    const { layered } = layerValues({ defaults, files: [{ name: "prod.yaml", text }] });
    const { errors } = await validateValues(config, layered!);
    expect(errors.map((e) => e.code)).toEqual(["OPM2001", "OPM2001", "OPM2001"]);
    expect(errors.map((e) => [e.location, e.message.split(":")[0]])).toEqual([
      [{ file: "prod.yaml", line: 2, column: 8 }, "values.image.tag"],
      [{ file: "prod.yaml", line: 3, column: 11 }, "values.replicas"],
      [{ file: "prod.yaml", line: 5, column: 9 }, "values.service.port"],
    ]);
    expect(String(errors[0])).toMatch(/^prod\.yaml:2:8: values\.image\.tag: .* \[OPM2001\]$/);
  });

  it("locates a value to the layer that won, and --set values to their expression", async () => {
    const { layered } = layerValues({
      defaults,
      files: [
        { name: "a.yaml", text: "replicas: x\n" },
        { name: "b.yaml", text: "\n\nreplicas: y\n" },
      ],
      set: ["service.port=99999"],
    });
    const { errors } = await validateValues(config, layered!);
    expect(errors.map((e) => e.location)).toEqual([
      { file: "b.yaml", line: 3, column: 11 },
      { file: "--set service.port=99999" },
    ]);
  });

  it("points an unknown key at the key's map in the file", async () => {
    const { layered } = layerValues({ defaults, files: [{ name: "x.yaml", text: "image:\n  tagg: v1\n" }] });
    const { errors } = await validateValues(config, layered!);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.location).toEqual({ file: "x.yaml", line: 2, column: 3 });
  });

  it("reports YAML syntax errors with their position", () => {
    const { errors } = layerValues({ files: [{ name: "bad.yaml", text: "a: [1, 2\n" }] });
    expect(errors[0]?.code).toBe("OPM2002");
    expect(errors[0]?.location?.file).toBe("bad.yaml");
    expect(errors[0]?.location?.line).toBeGreaterThan(0);
  });

  it("returns the schema's checked value", async () => {
    const { layered } = layerValues({ defaults });
    expect((await validateValues(config, layered!)).values).toEqual(defaults);
  });
});

describe("a later layer replaces an earlier layer's choice", () => {
  // db is one of two closed shapes, chosen by `type` (a disjunction in CUE, a union in zod).
  const shapes: Readonly<Record<string, readonly string[]>> = {
    pg: ["type", "host"],
    sqlite: ["type", "path"],
  };
  const db: ConfigSchema = {
    validate(values) {
      const given = (values as { db: Record<string, unknown> }).db;
      const allowed = shapes[String(given["type"])] ?? ["type"];
      const issues = Object.keys(given)
        .filter((key) => !allowed.includes(key))
        .map((key) => ({ path: ["db", key], message: "field not allowed", kind: "notAllowed" as const }));
      return issues.length > 0 ? { issues } : { issues: [], value: values };
    },
  };
  const defaults = { db: { type: "pg", host: "db.internal" } };

  it("drops what the earlier layer set for the shape a later layer no longer chose", async () => {
    const { layered } = layerValues({
      defaults,
      files: [{ name: "sqlite.yaml", text: "db:\n  type: sqlite\n  path: /data/app.db\n" }],
    });
    const checked = await validateValues(db, layered!);
    expect(checked.errors).toEqual([]);
    expect(checked.values).toEqual({ db: { type: "sqlite", path: "/data/app.db" } });
  });

  it("still reports a field the earlier layer got wrong on its own, and one the later layer sets", async () => {
    const { layered } = layerValues({
      defaults: { db: { type: "pg", host: "db.internal", hots: "typo" } },
      files: [{ name: "prod.yaml", text: "db:\n  type: pg\n  path: /nope\n" }],
    });
    const checked = await validateValues(db, layered!);
    expect(checked.errors.map((e) => [e.message, e.location?.file])).toEqual([
      ["values.db.hots: field not allowed", undefined],
      ["values.db.path: field not allowed", "prod.yaml"],
    ]);
  });
});

describe("--set", () => {
  it("parses paths, indexes, escapes and typed scalars", () => {
    expect(parseSetExpression("a.b[0].c=value").expression?.path).toEqual(["a", "b", 0, "c"]);
    expect(parseSetExpression("labels.app\\.kubernetes\\.io/name=web").expression?.path).toEqual([
      "labels",
      "app.kubernetes.io/name",
    ]);
    expect(parseSetExpression("x=-1.5e3").expression?.value).toBe(-1500);
    expect(parseSetExpression("x=null").expression?.value).toBeNull();
    expect(parseSetExpression("x=a=b").expression?.value).toBe("a=b");
  });
  it("rejects malformed expressions with OPM2003", () => {
    expect(parseSetExpression("novalue").error?.code).toBe("OPM2003");
    expect(parseSetExpression("a[x]=1").error?.code).toBe("OPM2003");
    expect(parseSetExpression("=1").error?.code).toBe("OPM2003");
    expect(parseSetExpression("a..b=1").error?.code).toBe("OPM2003");
  });
  it("never mutates its inputs", () => {
    const base = { a: { b: 1 } };
    expect(deepMerge(base, { a: { c: 2 } })).toEqual({ a: { b: 1, c: 2 } });
    expect(setPath(base, ["a", "b"], 3)).toEqual({ a: { b: 3 } });
    expect(base).toEqual({ a: { b: 1 } });
  });
});

describe("values that are not plain data", () => {
  const codes = (files: { name: string; text: string }[], set: string[] = []) =>
    layerValues({ defaults: {}, files, set }).errors.map(
      (e) => `${e.code} ${e.message} @${e.location?.line ?? "-"}:${e.location?.column ?? "-"}`,
    );

  it("refuses prototype keys in files and in --set, with their position", () => {
    expect(codes([{ name: "v.yaml", text: "a:\n  __proto__:\n    polluted: true\n" }])).toEqual([
      'OPM2004 values.a: the key "__proto__" is not allowed @2:3',
    ]);
    expect(codes([{ name: "v.json", text: '{"constructor": {"prototype": 1}}' }])).toEqual([
      'OPM2004 values: the key "constructor" is not allowed @1:1',
    ]);
    expect(codes([], ["__proto__.polluted=true", "a.prototype=1"])).toEqual([
      'OPM2003 --set "__proto__.polluted=true": the key "__proto__" is not allowed @-:1',
      'OPM2003 --set "a.prototype=1": the key "prototype" is not allowed @-:3',
    ]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("refuses unknown and YAML 1.1 tags, complex keys, and a document that is not a map", () => {
    expect(codes([{ name: "v.yaml", text: "password: !vault abc\n" }])).toEqual([
      "OPM2002 cannot parse values: Unresolved tag: !vault at line 1, column 11: @1:11",
    ]);
    expect(codes([{ name: "v.yaml", text: "blob: !!binary aGVsbG8=\n" }])[0]).toMatch(
      /^OPM2002 cannot parse values: Unresolved tag: tag:yaml.org,2002:binary/,
    );
    expect(codes([{ name: "v.yaml", text: "? [a, b]\n: 1\n" }])).toEqual([
      "OPM2002 cannot parse values: a key is a map or a list @1:3",
    ]);
    expect(codes([{ name: "v.yaml", text: "- 1\n- 2\n" }])).toEqual([
      "OPM2002 values must be a map of keys to values @1:1",
    ]);
  });

  it("refuses a billion laughs, a cycle, and nesting deeper than the limit", () => {
    const laughs = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++)
      laughs.push(
        `${"abcdefghi"[i]}: &${"abcdefghi"[i]} [${Array(9)
          .fill(`*${"abcdefghi"[i - 1]}`)
          .join(", ")}]`,
      );
    expect(codes([{ name: "lol.yaml", text: `${laughs.join("\n")}\n` }])).toEqual([
      "OPM2002 cannot parse values: Excessive alias count indicates a resource exhaustion attack @1:1",
    ]);
    expect(codes([{ name: "v.yaml", text: "a: &x [*x]\n" }])).toEqual([
      "OPM2004 values.a[0]: refers to a map or list that contains it @1:8",
    ]);
    const deep = `${"[".repeat(150)}${"]".repeat(150)}`;
    expect(codes([{ name: "deep.json", text: `{"a": ${deep}}` }])[0]).toMatch(
      /^OPM2004 values\.a(\[0\]){99}: nested deeper than 100 levels/,
    );
  });

  it("refuses a duplicate key, in linear time (fuzz: the YAML library's own check is quadratic)", () => {
    expect(codes([{ name: "v.yaml", text: "port: 1\nname: x\nport: 2\n" }])).toEqual([
      'OPM2002 cannot parse values: the key "port" appears twice @3:1',
    ]);
    expect(codes([{ name: "v.json", text: '{"a": {"b": 1, "b": 2}}' }])).toEqual([
      'OPM2002 cannot parse values: the key "b" appears twice @1:16',
    ]);
  });

  it("refuses a text too large or too deep to parse before parsing it (fuzz: a 2 MB list took 38 s)", () => {
    const list = `{"port": [${"0,".repeat(MAX_VALUES_TEXT_ITEMS + 1)}0]}`;
    expect(codes([{ name: "big.json", text: list }])).toEqual([
      `OPM2002 values text has more than ${MAX_VALUES_TEXT_ITEMS} lines, commas and brackets @-:-`,
    ]);
    const lines = `port:\n${"- 0\n".repeat(MAX_VALUES_TEXT_ITEMS)}`;
    expect(codes([{ name: "big.yaml", text: lines }])).toHaveLength(1);
    const deep = `a: ${"[".repeat(MAX_VALUES_TEXT_NESTING + 1)}${"]".repeat(MAX_VALUES_TEXT_NESTING + 1)}\n`;
    expect(codes([{ name: "deep.yaml", text: deep }])).toEqual([
      `OPM2002 values text nests brackets more than ${MAX_VALUES_TEXT_NESTING} deep @-:-`,
    ]);
    const long = `{"a": "${"x".repeat(MAX_VALUES_TEXT_BYTES)}"}`;
    expect(codes([{ name: "long.json", text: long }])).toEqual([
      `OPM2002 values text of ${long.length} characters is larger than ${MAX_VALUES_TEXT_BYTES} (8 MiB) @-:-`,
    ]);
  });

  it("reports a getter or proxy that throws while being read (fuzz: it was an internal error)", () => {
    const getter = {
      get port(): number {
        throw new Error("getter");
      },
    };
    expect(
      checkValuesData({ name: "v.ts", data: getter, locate: () => undefined }).map(
        (e) => `${e.code} ${e.message}`,
      ),
    ).toEqual(["OPM2004 values.port: reading it threw: getter"]);
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("keys");
        },
      },
    );
    expect(
      checkValuesData({ name: "v.ts", data: { a: proxy }, locate: () => undefined }).map((e) => e.message),
    ).toEqual(["values.a: reading it threw: keys"]);
  });

  it("refuses list indices above the limit in --set instead of building the list", () => {
    expect(codes([], ["x[999999999]=1"])).toEqual([
      'OPM2003 --set "x[999999999]=1": a list index may be at most 65535 @-:2',
    ]);
    expect(layerValues({ set: ["x[3]=1"] }).layered?.values).toEqual({ x: [null, null, null, 1] });
  });
});
