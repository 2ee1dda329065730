// Parity of our Kubernetes provider in CUE (catalog/cue/providers, `opmodel.dev/providers@v0`)
// with the TS provider: every transformer fixture of providers/kubernetes renders to
// byte-identical manifests through both. Also: TS and CUE transformers in one render, and CUE
// `#Matches` / TS `matches` predicates beside the required-labels/resources/traits rule.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cases } from "../../providers/kubernetes/__tests__/cases.ts";
import { C, component, T, testModule } from "../../providers/kubernetes/__tests__/fixtures.ts";
import { PREFIXED_GOLDEN, renderPrefixed } from "../../providers/kubernetes/__tests__/prefixed.ts";
import { kubernetesProvider } from "../../providers/kubernetes/index.ts";
import {
  brand,
  formatManifests,
  render,
  type Provider,
  type SecretValue,
  type Transformer,
} from "../../sdk/index.ts";
import { ensureEngineBuilt } from "../__tests__/support.ts";
import { createCueEngine } from "../create.ts";
import type { CueEngine } from "../engine.ts";
import { CATALOG_CUE_DIR, catalogRegistry, publishCatalog } from "../module/__tests__/catalog-registry.ts";
import { loadCueProvider } from "./provider.ts";

let engine: CueEngine;
let cacheDir: string;
let cueProvider: Provider;

beforeAll(async () => {
  ensureEngineBuilt();
  const registry = inject("registry");
  await publishCatalog(`http://${registry}`);
  // A fresh module cache: the catalog is republished as v0.1.0 whenever it changes, and a
  // shared cache would keep serving an older copy of that version.
  cacheDir = mkdtempSync(join(tmpdir(), "opm-cue-parity-cache-"));
  engine = createCueEngine({ cueRegistry: catalogRegistry(registry), cacheDir });
  ({ provider: cueProvider } = await loadCueProvider({
    engine,
    dir: join(CATALOG_CUE_DIR, "providers", "kubernetes"),
  }));
}, 120_000);

afterAll(async () => {
  await engine?.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe("the CUE Kubernetes provider", () => {
  it("declares the same 18 transformers and requirements as the TS provider", () => {
    const requirements = (p: Provider) =>
      Object.fromEntries(
        Object.entries(p.transformers).map(([fqn, t]) => [
          fqn,
          {
            name: t.metadata.name,
            description: t.metadata.description,
            labels: t.metadata.labels,
            requiredLabels: t.requiredLabels,
            requiredResources: [...t.requiredResources].sort(),
            optionalResources: [...t.optionalResources].sort(),
            requiredTraits: [...t.requiredTraits].sort(),
            optionalTraits: [...t.optionalTraits].sort(),
            handledResources: t.handledResources,
          },
        ]),
      );
    expect(Object.keys(cueProvider.transformers)).toHaveLength(18);
    expect(requirements(cueProvider)).toEqual(requirements(kubernetesProvider));
    expect(cueProvider.metadata).toEqual(kubernetesProvider.metadata);
  });

  it.each(cases.map((c) => [c.golden, c] as const))("%s renders byte-identically", async (_name, c) => {
    const module = testModule("demo", { [c.component.metadata.name]: c.component });
    const viaTs = await render({ module, provider: kubernetesProvider, namespace: "apps" });
    const viaCue = await render({ module, provider: cueProvider, namespace: "apps" });
    expect(viaCue.errors.map(String)).toEqual([]);
    expect(
      viaCue.resources.some((r) => r.transformer === c.transformer.metadata.fqn || r.patches !== undefined),
    ).toBe(true);
    expect(formatManifests(viaCue.resources)).toBe(formatManifests(viaTs.resources));
    expect(viaCue.matchPlan).toEqual(viaTs.matchPlan);
  });

  it("prefixes names and every reference with the release like the TS provider (the release-prefixed golden)", async () => {
    const golden = join(CATALOG_CUE_DIR, "..", "..", "providers", "kubernetes", "testdata", "golden");
    const expected = readFileSync(join(golden, `${PREFIXED_GOLDEN}.yaml`), "utf8");
    expect(await renderPrefixed(cueProvider)).toBe(expected);
  });

  it("refuses a certificate on a Gateway API route in TS and CUE alike", async () => {
    const route = component("web", {
      resources: [],
      traits: [T.grpcRoute],
      spec: {
        grpcRoute: {
          gatewayRef: { name: "gw" },
          tls: { certificateRef: { name: "cert" } },
          rules: [{ backendPort: 9090 }],
        },
      },
    });
    for (const provider of [kubernetesProvider, cueProvider]) {
      const result = await render({ module: testModule("demo", { web: route }), provider });
      expect(result.errors.map((e) => e.code)).toEqual(["OPM4001"]);
      expect(result.errors[0]!.message).toContain(
        "grpcRoute.tls.certificateRef: a Gateway API route cannot carry a certificate",
      );
      expect(result.resources).toEqual([]);
    }
  });

  it("refuses a Secret that mixes values with External Secrets, or reads two stores, in TS and CUE alike", async () => {
    const secret = (dataKey: string, variant: object): SecretValue =>
      ({ $opm: "secret", $secretName: "license", $dataKey: dataKey, ...variant }) as SecretValue;
    const vault = (remoteKey: string, store = "vault") => ({ externalSecret: { store, remoteKey } });
    const refusals: [Record<string, SecretValue>, string][] = [
      [
        { token: secret("token", vault("shop/license")), seat: secret("seat", { value: "42" }) },
        "Secret license mixes values with External Secrets references (token): the ExternalSecret would own the Secret its values go into",
      ],
      [
        { a: secret("a", vault("one")), b: secret("b", vault("two", "aws")), c: secret("c", vault("three")) },
        "Secret license: key b reads from another store (or refreshes at another interval) than key a; one ExternalSecret has one store",
      ],
    ];
    for (const [data, message] of refusals) {
      const secrets = component("opm-secrets", {
        resources: [C.secrets],
        spec: { secrets: { license: { data } } },
      });
      for (const provider of [kubernetesProvider, cueProvider]) {
        const result = await render({ module: testModule("demo", { "opm-secrets": secrets }), provider });
        expect(result.errors.map((e) => e.code)).toEqual(["OPM4001"]);
        expect(result.errors[0]!.message).toContain(message);
        expect(result.resources).toEqual([]);
      }
    }
  });

  it("reports a CUE evaluation failure as a positioned transform error", async () => {
    const broken = component("web", { workloadType: "stateless", resources: [C.container], spec: {} });
    const result = await render({ module: testModule("demo", { web: broken }), provider: cueProvider });
    expect(result.errors.map((e) => e.code)).toEqual(["OPM4001"]);
    expect(result.errors[0]?.message).toMatch(
      /component web, transformer .*#DeploymentTransformer: .*container/,
    );
  });
});

/** A provider of CUE transformers with a `#Matches` predicate, loaded from an overlay. */
const MATCHERS_DIR = "/virtual/opm-matchers";
const matchersOverlay = {
  "cue.mod/module.cue":
    'module: "example.com/matchers@v0"\nlanguage: version: "v0.15.0"\ndeps: "opmodel.dev/core@v0": v: "v0.1.0"\n',
  "matchers.cue": `package matchers

import core "opmodel.dev/core@v0"

#Provider: core.#Provider & {
	metadata: {name: "matchers", description: "test", version: "0.1.0", minVersion: "0.1.0"}
	transformers: {
		(#Team.metadata.fqn):    #Team
		(#Exposed.metadata.fqn): #Exposed
	}
}

// The catalog's own matcher as a predicate: all of the listed traits, read from #traits.
#Exposed: core.#Transformer & {
	metadata: {
		apiVersion:  "example.com/matchers@v0"
		name:        "exposed-audit"
		description: "Matches components with the Expose trait; emits nothing"
	}
	#Matches: core.#Matches & {transformer: requiredTraits: "opmodel.dev/traits/network@v0#Expose": _}
	#transform: {
		#component: _
		#context:   _
	}
}

// Matches components owned by team "blue", whatever their resources: a predicate, not the rule.
#Team: core.#Transformer & {
	metadata: {
		apiVersion:  "example.com/matchers@v0"
		name:        "team-config"
		description: "One ConfigMap naming the owning team"
	}
	#Matches: {
		component: _
		result: *(component.metadata.labels["example.com/team"] == "blue") | false
		reason: "team label is \\(*component.metadata.labels["example.com/team"] | "absent")"
	}
	#transform: {
		#component: _
		#context:   _
		output: [{
			apiVersion: "v1"
			kind:       "ConfigMap"
			metadata: {name: "\\(#component.metadata.name)-team", namespace: #context.namespace, labels: #context.labels}
			data: team: "blue"
		}]
	}
}
`,
};

describe("mixing TS and CUE transformers in one render", () => {
  it("runs TS and CUE transformers side by side, with predicates and the rule in the plan", async () => {
    const { provider: matchers, close } = await loadCueProvider({
      engine,
      dir: MATCHERS_DIR,
      overlay: matchersOverlay,
    });
    try {
      const cueService =
        cueProvider.transformers["opmodel.dev/providers/kubernetes/transformers@v0#ServiceTransformer"]!;
      const tsDeployment =
        kubernetesProvider.transformers[
          "opmodel.dev/providers/kubernetes/transformers@v0#DeploymentTransformer"
        ]!;
      const tsAudit: Transformer = brand("Transformer", {
        ...tsDeployment,
        metadata: { ...tsDeployment.metadata, name: "audit", fqn: "example.com/ts@v0#Audit" },
        matches: (c) => ({ matched: c.metadata.name === "api", reason: "only the api is audited" }),
        transform: () => undefined,
      });
      const mixed: Provider = brand("Provider", {
        ...kubernetesProvider,
        transformers: {
          [tsDeployment.metadata.fqn]: tsDeployment,
          [cueService.metadata.fqn]: cueService,
          [tsAudit.metadata.fqn]: tsAudit,
          ...matchers.transformers,
        },
      });
      const api = component("api", {
        workloadType: "stateless",
        labels: { "example.com/team": "blue" },
        resources: [C.container],
        traits: ["opmodel.dev/traits/network@v0#Expose"],
        spec: {
          container: { name: "api", image: "api:1" },
          expose: { ports: { http: { targetPort: 8080 } } },
        },
      });
      const web = component("web", {
        workloadType: "stateless",
        resources: [C.container],
        spec: { container: { name: "web", image: "web:1" } },
      });
      const module = testModule("demo", { api, web });
      const result = await render({ module, provider: mixed, namespace: "apps" });
      expect(result.errors.map(String)).toEqual([]);
      expect(
        result.resources.map((r) => `${r.object.kind}/${r.object.metadata?.name} <- ${r.transformer}`),
      ).toEqual([
        "ConfigMap/api-team <- example.com/matchers@v0#TeamConfig",
        "Service/api <- opmodel.dev/providers/kubernetes/transformers@v0#ServiceTransformer",
        "Deployment/api <- opmodel.dev/providers/kubernetes/transformers@v0#DeploymentTransformer",
        "Deployment/web <- opmodel.dev/providers/kubernetes/transformers@v0#DeploymentTransformer",
      ]);
      const decisions = (name: string) =>
        result.matchPlan.components
          .find((c) => c.component === name)!
          .decisions.map((d) => [d.transformer.split("#")[1], d.rule, d.matched, d.reason]);
      expect(decisions("api")).toEqual([
        ["ExposedAudit", "predicate", true, "Matched: predicate: CUE #Matches evaluated true"],
        ["TeamConfig", "predicate", true, "Matched: predicate: team label is blue"],
        ["Audit", "predicate", true, "Matched: predicate: only the api is audited"],
        [
          "DeploymentTransformer",
          "requirements",
          true,
          "Matched: requiredLabels[core.opmodel.dev/workload-type=stateless], requiredResources[opmodel.dev/resources/workload@v0#Container]",
        ],
        [
          "ServiceTransformer",
          "requirements",
          true,
          "Matched: requiredResources[opmodel.dev/resources/workload@v0#Container], requiredTraits[opmodel.dev/traits/network@v0#Expose]",
        ],
      ]);
      expect(decisions("web").map((d) => d.slice(0, 3))).toEqual([
        ["ExposedAudit", "predicate", false],
        ["TeamConfig", "predicate", false],
        ["Audit", "predicate", false],
        ["DeploymentTransformer", "requirements", true],
        ["ServiceTransformer", "requirements", false],
      ]);
      expect(decisions("web")[1]?.[3]).toBe("Not matched: predicate: team label is absent");
    } finally {
      await close();
    }
  });
});
