// The zod guard: zod 4 passes; anything else (zod 3 has no core.version) is OPM8005 naming both
// versions. The package's tarball test loads the dsl against a real zod 3 install.
import { describe, expect, it } from "vitest";
import { z as fromDsl } from "./index.ts";
import { OpmError } from "../sdk/index.ts";
import { assertZod4, SUPPORTED_ZOD } from "./zod.ts";
import { z } from "zod";

function failure(run: () => void): OpmError {
  try {
    run();
  } catch (error) {
    if (error instanceof OpmError) return error;
    throw error;
  }
  throw new Error("no error");
}

describe("zod", () => {
  it("is re-exported by the dsl as the very zod it validates with", () => {
    expect(fromDsl).toBe(z);
    expect(() => assertZod4(z)).not.toThrow();
  });

  it("zod 3 is OPM8005, naming the version found and the one needed", () => {
    const error = failure(() => assertZod4({ ZodType: class {} }, () => "3.25.76"));
    expect(error.code).toBe("OPM8005");
    expect(error.message).toBe(
      `@opm/sdk needs zod ${SUPPORTED_ZOD} (a peer dependency), but this project resolves zod 3.25.76`,
    );
    expect(error.hint).toMatch(/npm install zod@\^4/);
  });

  it("names a version from the namespace itself when it has one, and copes with none", () => {
    const five = { core: { version: { major: 5, minor: 0, patch: 1 } } };
    expect(failure(() => assertZod4(five)).message).toMatch(/resolves zod 5\.0\.1$/);
    expect(failure(() => assertZod4({}, () => undefined)).message).toMatch(/resolves zod older than 4$/);
  });
});
