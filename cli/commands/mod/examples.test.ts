// The CLI renders every example exactly as its golden file (examples/*/expected.yaml).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { repoRoot, run } from "../../__tests__/run.ts";

describe("opm mod build on the examples", () => {
  for (const example of ["jellyfin", "blog", "multi-tier"]) {
    it(`renders ${example} as its golden file`, async () => {
      const dir = `examples/${example}`;
      const { code, out, err } = await run(["mod", "build", dir, "-f", `${dir}/values.yaml`]);
      expect(err).toBe("");
      expect(code).toBe(0);
      expect(out).toBe(readFileSync(`${repoRoot}${dir}/expected.yaml`, "utf8"));
    });
  }
});
