// `opm mod gen-types` in-process: bindings for the team-traits fixture (its catalog imports
// from the shared test registry) written to --out, and a positioned error for a definition
// without #spec.
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { catalogRegistry, publishCatalog } from "../../../bridge/module/__tests__/catalog-registry.ts";
import { repoRoot, run, tempDir } from "../../__tests__/run.ts";

const FIXTURE = join(repoRoot, "bridge/codegen/testdata/team-traits");

let registry: string;

beforeAll(async () => {
  await publishCatalog(`http://${inject("registry")}`);
  registry = catalogRegistry(inject("registry"));
}, 120_000);

describe("opm mod gen-types", () => {
  it("writes the bindings of a CUE package and lists the files", async () => {
    const out = tempDir("opm-gen-types-");
    const result = await run(["mod", "gen-types", FIXTURE, "--out", out, "--registry", registry], {
      env: { CUE_CACHE_DIR: tempDir() },
      cwd: out,
    });
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toBe("teamtraits.ts\n");
    expect(readdirSync(out).filter((f) => f.endsWith(".ts"))).toEqual(["teamtraits.ts"]);
    const text = readFileSync(join(out, "teamtraits.ts"), "utf8");
    expect(text).toContain('from "@opm/sdk/dsl"');
    expect(text).toContain("export const CostCenter = partBuilder(CostCenterTrait);");
  });

  it("reports a definition without #spec at its line, with exit code 2", async () => {
    const pkg = tempDir("opm-gen-types-pkg-");
    cpSync(FIXTURE, pkg, { recursive: true });
    writeFileSync(
      join(pkg, "broken.cue"),
      'package teamtraits\n\nimport core "opmodel.dev/core@v0"\n\n#AuditTrait: core.#Trait & {\n\tmetadata: {apiVersion: "acme.example/team-traits@v0", name: "audit"}\n\tappliesTo: []\n}\n',
    );
    const result = await run(["mod", "gen-types", ".", "--out", "gen", "--registry", registry], {
      env: { CUE_CACHE_DIR: tempDir() },
      cwd: pkg,
    });
    expect(result.code).toBe(2);
    expect(result.out).toBe("");
    expect(result.err).toMatchInlineSnapshot(`
      "error OPM7021: #AuditTrait declares no #spec
        #AuditTrait: a resource, trait, blueprint or policy rule must declare #spec: {<specKey>: <schema>}
        --> broken.cue:6:62
        hint: fix the CUE package (or its cue.mod dependencies) and run the command again
      "
    `);
  });
});
