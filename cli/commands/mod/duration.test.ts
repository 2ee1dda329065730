import { describe, expect, it } from "vitest";
import { run } from "../../__tests__/run.ts";
import { MAX_DURATION_MS, parseDuration } from "./cluster-common.ts";

describe("parseDuration", () => {
  it("reads units and their sums", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("1.5s")).toBe(1500);
  });

  it("refuses text that is not a duration", () => {
    for (const text of ["", "5", "5d", "s", "5m x", "-5s"])
      expect(() => parseDuration(text), text).toThrow(/invalid duration/);
  });

  it("refuses a duration no timer can wait for, instead of not waiting at all", () => {
    expect(parseDuration("596h")).toBeLessThanOrEqual(MAX_DURATION_MS);
    expect(() => parseDuration("597h")).toThrow(/too long: at most 596h/);
    expect(() => parseDuration("720h")).toThrow(/too long/);
  });
});

describe("duration flags", () => {
  it("a --timeout too long for a timer is a usage error before anything is rendered", async () => {
    const { code, out, err } = await run(["mod", "apply", "examples/blog", "--timeout", "1000h"]);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toMatch(/error OPM7001: duration "1000h" is too long: at most 596h/);
  });
});
