import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../error-codes.ts";
import { isOpmError, OpmError } from "../errors.ts";
import { brand, brandOf } from "./brand.ts";
import { isComponent } from "./component.ts";
import { isResource, isTrait } from "./definitions.ts";
import { isModule } from "./module.ts";
import { isProvider, isTransformer, isTransformerContext } from "./transformer.ts";

describe("brand checks", () => {
  it("recognise branded values without instanceof, invisibly to JSON", () => {
    const component = brand("Component", { kind: "Component", metadata: { name: "a" } });
    expect(isComponent(component)).toBe(true);
    expect((component as Record<symbol, unknown>)[Symbol.for("opm.Component")]).toBe(true);
    expect(brandOf("Component")).toBe(Symbol.for("opm.Component"));
    expect(JSON.stringify(component)).toBe('{"kind":"Component","metadata":{"name":"a"}}');
  });
  it("recognise plain data that crossed a JSON boundary by kind and shape", () => {
    const decoded: unknown = JSON.parse('{"kind":"Resource","metadata":{"name":"container"}}');
    expect(isResource(decoded)).toBe(true);
    expect(isTrait(decoded)).toBe(false);
    expect(isComponent({ kind: "Component" })).toBe(false);
    expect(isModule(null)).toBe(false);
    expect(isProvider("Provider")).toBe(false);
    expect(isTransformer({ kind: "Transformer", metadata: {} })).toBe(true);
    expect(isTransformerContext({ kind: "TransformerContext" })).toBe(true);
  });
});

describe("OpmError", () => {
  it("carries a stable code, a location, a hint and a cause", () => {
    const cause = new Error("root");
    const error = new OpmError("InvalidValues", {
      message: "values.x: expected number",
      location: { file: "v.yaml", line: 3, column: 5 },
      hint: "write a number",
      cause,
    });
    expect(isOpmError(error)).toBe(true);
    expect(isOpmError(new Error("x"))).toBe(false);
    expect(error.code).toBe("OPM2001");
    expect(error.category).toBe("validation");
    expect(String(error)).toBe("v.yaml:3:5: values.x: expected number [OPM2001]");
    expect(error.toJSON()).toEqual({
      code: "OPM2001",
      message: "values.x: expected number",
      locations: [{ file: "v.yaml", line: 3, column: 5 }],
      hint: "write a number",
      cause: "root",
    });
  });
  it("never reuses a code", () => {
    const codes = Object.values(ErrorCodes).map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^OPM\d{4}$/);
  });
});
