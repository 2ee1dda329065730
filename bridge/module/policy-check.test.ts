// A policy rule written in CUE (`#check`) enforces itself at render, with the same results as
// the same rule written in TS: the violations, their objects and fields, and the block error.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Container, Expose } from "../../catalog/index.ts";
import { component, defineModule, definePolicyRule, policy, rule, workloadType, z } from "../../dsl/index.ts";
import { kubernetesProvider } from "../../providers/kubernetes/index.ts";
import { render } from "../../sdk/index.ts";
import { ensureEngineBuilt } from "../__tests__/support.ts";
import { createCueEngine } from "../create.ts";
import type { CueEngine } from "../engine.ts";
import { loadCueModule } from "./load.ts";

const DIR = join(import.meta.dirname, "testdata", "cue-rule");
let engine: CueEngine;

beforeAll(() => {
  ensureEngineBuilt();
  engine = createCueEngine();
});
afterAll(async () => {
  await engine?.close();
});

const TeamLabel = definePolicyRule<"team-label", { key: string }>({
  metadata: { apiVersion: "example.com/policies@v0", name: "team-label" },
  enforcement: { mode: "deployment", onViolation: "block" },
  check: ({ objects, spec }) =>
    objects
      .filter((o) => (o.metadata?.["labels"] as Record<string, string> | undefined)?.[spec.key] === undefined)
      .map((o) => ({ object: o, field: `metadata.labels.${spec.key}`, message: `no ${spec.key} label` })),
});

const tsTwin = defineModule({
  metadata: { apiVersion: "example.com/modules@v0", name: "cue-rule", version: "0.1.0" },
  config: z.object({}),
  values: {},
  policies: { team: policy({ appliesTo: {} }, rule(TeamLabel, { key: "team" })) },
  components: () => ({
    web: component(
      workloadType("stateless"),
      Container({ name: "web", image: "nginx:1.27", ports: { http: { targetPort: 8080 } } }),
      Expose({ type: "ClusterIP", ports: { http: { targetPort: 8080 } } }),
    ),
    worker: component(
      { labels: { team: "core" } },
      workloadType("stateless"),
      Container({ name: "worker", image: "busybox:1.37" }),
    ),
  }),
});

describe("a policy rule written in CUE", () => {
  it("checks each selected component, as the same rule written in TS does", async () => {
    const { module, close } = await loadCueModule(DIR, { engine });
    try {
      const viaCue = await render({ module, provider: kubernetesProvider, namespace: "apps" });
      const viaTs = await render({ module: tsTwin, provider: kubernetesProvider, namespace: "apps" });
      expect(viaCue.policies[0]!.enforcedBy).toBe("rule");
      expect(viaCue.errors.map((e) => `${e.code} ${e.message}`)).toEqual([
        "OPM3101 policy team rule team-label (block): component web, Service web in namespace apps, field metadata.labels.team: no team label",
        "OPM3101 policy team rule team-label (block): component web, Deployment web in namespace apps, field metadata.labels.team: no team label",
      ]);
      expect(viaCue.policies).toEqual(viaTs.policies);
      expect(viaCue.errors.map(String)).toEqual(viaTs.errors.map(String));
    } finally {
      await close();
    }
  });

  it("checks with the values when the rule is in the policy only for some values", async () => {
    // The same module, the rule in the policy only when #config.checkTeams, keyed by a value.
    const source = readFileSync(join(DIR, "module.cue"), "utf8")
      .replace("#config: {}", '#config: {checkTeams: bool | *false, key: string | *"team"}')
      .replace(
        /#policies: team: core\.#Policy & \{[^]*\}\n$/,
        `#policies: team: core.#Policy & {
	if #config.checkTeams {
		#rules: (#TeamLabelPolicyRule.metadata.fqn): #TeamLabelPolicyRule
		spec: teamLabel: key: #config.key
	}
	appliesTo: {}
}
`,
      );
    expect(source).toContain("if #config.checkTeams");
    const { module, close } = await loadCueModule(DIR, { engine, overlay: { "module.cue": source } });
    try {
      const off = await render({ module, provider: kubernetesProvider, namespace: "apps" });
      expect(off.errors.map(String)).toEqual([]);
      const on = await render({
        module,
        provider: kubernetesProvider,
        namespace: "apps",
        set: ["checkTeams=true", "key=owner"],
      });
      expect(on.policies.map((p) => [p.policy, p.enforcedBy])).toEqual([["team", "rule"]]);
      expect(on.errors.map((e) => `${e.code} ${e.message}`)).toEqual([
        "OPM3101 policy team rule team-label (block): component web, Service web in namespace apps, field metadata.labels.owner: no owner label",
        "OPM3101 policy team rule team-label (block): component web, Deployment web in namespace apps, field metadata.labels.owner: no owner label",
        "OPM3101 policy team rule team-label (block): component worker, Deployment worker in namespace apps, field metadata.labels.owner: no owner label",
      ]);
    } finally {
      await close();
    }
  });
});
