// Policies through the CLI, in process: exit codes per mode (block 2, warn and audit 0), the
// violations in `vet`, `-v` and `-o json`, platform policies from a config file applied to a
// module that has none, a positioned error for a rule the catalog lacks, and the same results
// (and byte-identical manifests, NetworkPolicy included) from the TS module and its CUE twin.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectGolden } from "../../../test/golden.ts";
import { run, tempDir } from "../../__tests__/run.ts";

const TS = "cli/testdata/guarded";
const CUE = "cli/testdata/guarded/cue";
const WEB = "cli/testdata/web";

function configFile(body: string): string {
  const path = join(tempDir("opm-policy-config-"), "config.cue");
  writeFileSync(path, `package config\n\nconfig: {\n${body}\n}\n`);
  return path;
}

describe.each([
  ["TS", TS],
  ["CUE", CUE],
])("a module with policies (%s)", (_language, module) => {
  it("renders, with the warn-mode violations as warnings and a NetworkPolicy from the network rules", async () => {
    const { code, out, err } = await run(["mod", "build", module]);
    expect(code).toBe(0);
    expectGolden(out, join(TS, "expected.yaml"), { write: module === TS });
    expect(err.trim().split("\n")).toEqual([
      "warning OPM3101: policy probes rule probes-required (warn): component api, Deployment api in namespace default, field spec.template.spec.containers[0].readinessProbe: container api of a component that exposes a Service has no readiness probe",
      "warning OPM3101: policy probes rule probes-required (warn): component api, Deployment api in namespace default, field spec.template.spec.containers[0].livenessProbe: container api of a component that exposes a Service has no liveness probe",
    ]);
  });

  it("blocks with exit 2 and the rule, object and field, positioned at the component", async () => {
    const { code, out, err } = await run(["mod", "build", module, "--set", "image=nginx:latest"]);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain(
      "error OPM3101: policy pinned rule no-latest-image (block): component web, Deployment web in namespace default, field spec.template.spec.containers[0].image: image nginx:latest uses the tag latest",
    );
    // The component's definition: `web: component(...)` in TS, `web: {` in CUE.
    expect(err).toMatch(/--> \S*cli\/testdata\/guarded\/(guarded\.opm\.ts:32:5|cue\/guarded\.cue:25:2)\n/);
    expect(err).toContain("hint: pin the image to a version tag");
  });

  it("vet lists each rule's results and fails its policy check on a block", async () => {
    const { code, out } = await run(["mod", "vet", module, "--set", "image=nginx:latest"]);
    expect(code).toBe(2);
    expect(out).toContain("✘ Policies allow the release");
    expect(out).toContain(
      "  ✘ policy pinned: opmodel.dev/policies/workload@v0#NoLatestImage (block, checked by the provider) on api, web",
    );
    expect(out).toContain(
      "      web Deployment/web spec.template.spec.containers[0].image: image nginx:latest uses the tag latest",
    );
  });
});

describe("policy results as data", () => {
  it("vet -o json: the same policy results from the TS module and its CUE twin", async () => {
    const ts = await run(["mod", "vet", TS, "-o", "json"]);
    const cue = await run(["mod", "vet", CUE, "-o", "json"]);
    expect(ts.code).toBe(0);
    expect(cue.code).toBe(0);
    const policies = JSON.parse(ts.out).policies;
    expect(JSON.parse(cue.out).policies).toEqual(policies);
    expect(
      policies.map((p: { policy: string; onViolation: string; violations: unknown[] }) => [
        p.policy,
        p.onViolation,
        p.violations.length,
      ]),
    ).toEqual([
      ["network", "block", 0],
      ["pinned", "block", 0],
      ["probes", "warn", 2],
    ]);
  });

  it("audit violations show only in the results: no warning, exit 0", async () => {
    const config = configFile(`
	policies: audit: {
		onViolation: "audit"
		rules: "opmodel.dev/policies/workload@v0#ResourceLimits": {}
	}`);
    const { code, out, err } = await run(["mod", "vet", WEB, "-o", "json", "--config", config]);
    expect(code).toBe(0);
    expect(err).toBe("");
    const [audit] = JSON.parse(out).policies;
    expect(audit).toMatchObject({
      policy: "audit",
      source: "platform",
      onViolation: "audit",
      components: ["web"],
    });
    expect(audit.violations.map((v: { field: string }) => v.field)).toEqual([
      "spec.template.spec.containers[0].resources.requests.cpu",
      "spec.template.spec.containers[0].resources.requests.memory",
      "spec.template.spec.containers[0].resources.limits.memory",
    ]);
  });

  it("build --verbose-json carries the policy results", async () => {
    const { code, err } = await run(["mod", "build", TS, "--verbose-json"]);
    expect(code).toBe(0);
    const report = JSON.parse(err.slice(0, err.lastIndexOf("}") + 1));
    expect(report.policies.map((p: { rule: string }) => p.rule)).toEqual([
      "opmodel.dev/policies/connectivity@v0#NetworkRules",
      "opmodel.dev/policies/workload@v0#NoLatestImage",
      "opmodel.dev/policies/workload@v0#ProbesRequired",
    ]);
  });
});

describe("platform policies from the config file", () => {
  it("apply to a module without policies of its own, scoped and enforced like the module's", async () => {
    const config = configFile(`
	policies: registries: {
		appliesTo: components: ["web"]
		rules: "opmodel.dev/policies/workload@v0#AllowedRegistries": registries: ["ghcr.io/acme"]
	}`);
    const blocked = await run(["mod", "build", WEB, "--config", config]);
    expect(blocked.code).toBe(2);
    expect(blocked.err).toContain(
      "error OPM3101: platform policy registries rule allowed-registries (block): component web, Deployment web in namespace web, field spec.template.spec.containers[0].image: image nginx:1.27 (docker.io/library/nginx) is from none of the allowed registries ghcr.io/acme",
    );
    const allowed = await run(["mod", "build", WEB, "--config", config, "--set", "image=ghcr.io/acme/web:1"]);
    expect(allowed.code).toBe(0);
  });

  it("warn through the config: a warning line, exit 0, in -v too", async () => {
    const config = configFile(`
	policies: pinned: {
		onViolation: "warn"
		rules: "opmodel.dev/policies/workload@v0#NoLatestImage": requireDigest: true
	}`);
    const { code, err } = await run(["mod", "build", WEB, "--config", config, "-v"]);
    expect(code).toBe(0);
    expect(err).toContain(
      "  ! platform policy pinned: opmodel.dev/policies/workload@v0#NoLatestImage (warn, checked by the provider) on web",
    );
    expect(err).toContain(
      "warning OPM3101: platform policy pinned rule no-latest-image (warn): component web, Deployment web in namespace web, field spec.template.spec.containers[0].image: image nginx:1.27 has no digest",
    );
  });

  it("a rule the catalog does not have: exit 2, positioned in the config file", async () => {
    const config = configFile(`
	policies: typo: rules: "opmodel.dev/policies/workload@v0#NoLatest": {}`);
    const { code, err } = await run(["mod", "build", WEB, "--config", config]);
    expect(code).toBe(2);
    expect(err).toContain(
      "error OPM3104: platform policy typo: the catalog has no policy rule opmodel.dev/policies/workload@v0#NoLatest",
    );
    expect(err).toContain(`--> ${config}:5:25`);
    expect(err).toContain("hint: name a rule by its FQN: ");
  });

  it("an invalid spec: exit 2 naming the policy and the field", async () => {
    const config = configFile(`
	policies: reg: rules: "opmodel.dev/policies/workload@v0#AllowedRegistries": registries: []`);
    const { code, err } = await run(["mod", "build", WEB, "--config", config]);
    expect(code).toBe(2);
    expect(err).toMatch(
      /error OPM3008: policy reg: rule allowed-registries: spec\.allowedRegistries\.registries: /,
    );
  });

  it("a config whose policies break the schema is refused by the config check", async () => {
    const config = configFile(`
	policies: bad: {onViolation: "never", rules: {}}`);
    const { code, err } = await run(["mod", "build", WEB, "--config", config]);
    expect(code).toBe(2);
    expect(err).toContain("OPM");
    expect(err).toContain("onViolation");
  });
});
