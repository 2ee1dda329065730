// Golden tests of the examples: each renders (module defaults + its values*.yaml) to exactly
// examples/<name>/expected.yaml. Regenerate with UPDATE_GOLDEN=1 and review the diff by hand.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES, renderExample, toYamlStream } from "./render-example.ts";

const here = dirname(fileURLToPath(import.meta.url));
let cacheDir: string;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), "opm-examples-"));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

describe("examples render to their golden YAML", () => {
  for (const name of EXAMPLES) {
    it(name, async () => {
      const dir = join(here, name);
      const result = await renderExample(dir, name, cacheDir);
      expect(result.errors.map((e) => e.message)).toEqual([]);
      expect(result.warnings.map((w) => w.message)).toEqual([]);
      const yaml = toYamlStream(result);
      const golden = join(dir, "expected.yaml");
      if (process.env["UPDATE_GOLDEN"] === "1") await writeFile(golden, yaml);
      expect(yaml).toBe(await readFile(golden, "utf8"));
    });
  }

  it("renders byte-identically twice, the second time from the loader cache", async () => {
    const dir = join(here, "jellyfin");
    const first = toYamlStream(await renderExample(dir, "jellyfin", cacheDir));
    const second = toYamlStream(await renderExample(dir, "jellyfin", cacheDir));
    expect(second).toBe(first);
  });
});
