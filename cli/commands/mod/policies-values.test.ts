// A policy that depends on the module's values (docs/policies.md, "Policies from values"):
// which rules it holds, which components it applies to and what a violation does follow the
// user's values, in TS (`policies: (config) => ...`) and in CUE (`#policies` reading `#config`)
// alike, with the same results; a CUE policy that does not evaluate with the values is a
// positioned error naming the policy and the field, never a policy silently left out.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectGolden } from "../../../test/golden.ts";
import { run, tempDir } from "../../__tests__/run.ts";

const TS = "cli/testdata/governed";
const CUE = "cli/testdata/governed/cue";
const IMAGE_FIELD = "Deployment web in namespace default, field spec.template.spec.containers[0].image";

describe.each([
  ["TS", TS],
  ["CUE", CUE],
])("a policy built from values (%s)", (_language, module) => {
  it("renders with the default values: the policy holds the pinned-image rule and web passes it", async () => {
    const { code, out, err } = await run(["mod", "build", module]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expectGolden(out, join(TS, "expected.yaml"), { write: module === TS });
  });

  it("blocks a latest image with the values that turn the rule on, exit 2 with the rule, object and field", async () => {
    const { code, out, err } = await run(["mod", "build", module, "--set", "image=nginx:latest"]);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain(
      `error OPM3101: policy images rule no-latest-image (block): component web, ${IMAGE_FIELD}: image nginx:latest uses the tag latest`,
    );
    expect(err).toMatch(/--> \S*cli\/testdata\/governed\/(governed\.opm\.ts:33:5|cue\/governed\.cue:33:2)\n/);
  });

  it("lets the same image through when the values take the rule out of the policy", async () => {
    const { code, err } = await run([
      "mod",
      "build",
      module,
      "--set",
      "image=nginx:latest",
      "--set",
      "policy.pinImages=false",
    ]);
    expect(err).toBe("");
    expect(code).toBe(0);
  });

  it("follows the scope the values give: the policy on the backend leaves web alone", async () => {
    const { code, err } = await run([
      "mod",
      "build",
      module,
      "--set",
      "image=nginx:latest",
      "--set",
      "policy.tier=backend",
    ]);
    expect(err).toBe("");
    expect(code).toBe(0);
    // ... and checks the backend with the spec the values give.
    const digest = await run([
      "mod",
      "build",
      module,
      "--set",
      "policy.tier=backend",
      "--set",
      "policy.requireDigest=true",
    ]);
    expect(digest.code).toBe(2);
    expect(digest.err).toContain(
      "error OPM3101: policy images rule no-latest-image (block): component api, Deployment api in namespace default, field spec.template.spec.containers[0].image: image ghcr.io/acme/api:2.0.1 has no digest",
    );
  });

  it("warns instead of blocking when the values say so, exit 0", async () => {
    const { code, out, err } = await run([
      "mod",
      "build",
      module,
      "--set",
      "image=nginx:latest",
      "--set",
      "policy.mode=warn",
    ]);
    expect(code).toBe(0);
    expect(out).not.toBe("");
    expect(err.trim()).toBe(
      `warning OPM3101: policy images rule no-latest-image (warn): component web, ${IMAGE_FIELD}: image nginx:latest uses the tag latest`,
    );
  });

  it("adds the allowed-registries rule when the values list registries", async () => {
    const { code, err } = await run([
      "mod",
      "build",
      module,
      "--set-json",
      'policy.registries=["ghcr.io/acme"]',
    ]);
    expect(code).toBe(2);
    expect(err).toContain(
      `error OPM3101: policy images rule allowed-registries (block): component web, ${IMAGE_FIELD}: image nginx:1.27 (docker.io/library/nginx) is from none of the allowed registries ghcr.io/acme`,
    );
  });
});

describe("the TS module and its CUE twin", () => {
  it.each([
    [[]],
    [["--set", "image=nginx:latest"]],
    [["--set", "image=nginx:latest", "--set", "policy.mode=audit", "--set", "policy.tier=backend"]],
    [["--set-json", 'policy.registries=["ghcr.io/acme","docker.io"]', "--set", "policy.pinImages=false"]],
  ])("vet -o json gives the same policy results with %j", async (args) => {
    const ts = await run(["mod", "vet", TS, "-o", "json", ...args]);
    const cue = await run(["mod", "vet", CUE, "-o", "json", ...args]);
    expect(cue.code).toBe(ts.code);
    const policies = JSON.parse(ts.out).policies;
    expect(policies.length).toBeGreaterThan(0);
    expect(JSON.parse(cue.out).policies).toEqual(policies);
  });
});

describe("a policy that does not evaluate with the values", () => {
  it("CUE: exit 2 with OPM3105 naming the policy and the field, positioned where the author wrote it", async () => {
    const dir = join(tempDir("opm-policy-values-"), "governed");
    cpSync(CUE, dir, { recursive: true });
    const file = join(dir, "governed.cue");
    writeFileSync(
      file,
      readFileSync(file, "utf8")
        .replace("registries: [...string] | *[]\n", "registries: [...string] | *[]\n\t\tteam?: string\n")
        .replace(
          "appliesTo: matchLabels: tier: #config.policy.tier",
          "appliesTo: matchLabels: {tier: #config.policy.tier, team: #config.policy.team}",
        ),
    );
    const { code, out, err } = await run(["mod", "build", dir]);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain(
      "error OPM3105: policy images: field appliesTo.matchLabels.team: cannot reference optional field: team",
    );
    expect(err).toContain(`--> ${file}:57:75`);
    expect(err).toContain("hint: a policy must be concrete once #config holds the values");
    // With the value given, the same policy reads and enforces.
    const given = await run(["mod", "build", dir, "--set", "policy.team=core"]);
    expect(given.err).toBe("");
    expect(given.code).toBe(0);
    const vet = await run(["mod", "vet", dir]);
    expect(vet.code).toBe(2);
    expect(vet.out).toContain("✘ Policies allow the release");
  });

  it("TS: a policies function that throws is OPM3105 naming the module, exit 2", async () => {
    const dir = tempDir("opm-policy-values-");
    const file = join(dir, "broken.opm.ts");
    writeFileSync(
      file,
      `import { Container } from "@opm/sdk/catalog";
import { component, defineModule, workloadType } from "@opm/sdk/dsl";
import { z } from "zod";

export default defineModule({
  metadata: { apiVersion: "example.com/modules@v0", name: "broken", version: "1.0.0" },
  config: z.object({ tiers: z.record(z.string(), z.string()) }),
  values: { tiers: {} },
  policies: (config) => {
    if (config.tiers["web"] === undefined) throw new Error("no tier for web");
    return {};
  },
  components: () => ({ web: component(workloadType("stateless"), Container({ name: "web", image: "nginx:1.27" })) }),
});
`,
    );
    const { code, out, err } = await run(["mod", "build", file]);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain(
      "error OPM3105: module broken: building policies from values failed: no tier for web",
    );
  });
});
