import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("@opm/sdk entry", () => {
  it("resolves through the package's own exports and offers render", async () => {
    const sdk = await import("@opm/sdk");
    expect(typeof sdk.render).toBe("function");
    expect(typeof sdk.isComponent).toBe("function");
    expect(sdk.OPM_NAMESPACE).toBe("11bc6112-a6e8-4021-bec9-b3ad246f9466");
  });
  it("names its exports (no export *)", () => {
    const source = readFileSync(new URL("./index.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/^export \*/m);
  });
});
