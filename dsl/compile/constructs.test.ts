// One test per supported construct: a TS snippet and the CUE it compiles to (formatted by the
// real engine). The examples test proves the output evaluates; these pin down its shape.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCueEngine, type CueEngine } from "../../bridge/index.ts";
import { compileSnippet, fieldOf, useFormatter } from "./__tests__/snippet-harness.ts";

let engine: CueEngine;
beforeAll(() => {
  engine = createCueEngine();
  useFormatter((source) => engine.format(source));
});
afterAll(async () => {
  useFormatter(undefined);
  await engine.close();
});

const web = (parts: string) => `(config) => ({ web: component(${parts}) })`;

describe("#config from the zod schema", () => {
  it("maps required, optional and defaulted fields, bounds, enums, literals and regexps", async () => {
    const config = `z.object({
      name: z.string().min(1).max(63),
      replicas: z.int().min(1).max(10),
      ratio: z.number().positive().lt(2),
      debug: z.boolean().default(false),
      theme: z.enum(["light", "dark"]).default("light"),
      kind: z.literal("web"),
      tag: z.string().regex(/^v[0-9]+\\.[0-9]+$/).optional(),
      host: z.string().regex(/^[a-z]+$/i),
      note: z.string().nullable(),
      port: z.union([z.int(), z.string()]),
    })`;
    expect(await fieldOf({ config }, "#config")).toBe(`#config: {
	name!:     string & strings.MinRunes(1) & strings.MaxRunes(63)
	replicas!: int & >=1 & <=10
	ratio!:    number & >0 & <2
	debug:     *false | bool
	theme:     *"light" | "light" | "dark"
	kind!:     "web"
	tag?:      string & =~#"^v[0-9]+\\.[0-9]+$"#
	host!:     string & =~"(?i)^[a-z]+$"
	note!:     null | string
	port!:     int | string
}`);
  });

  it("maps nested objects, arrays, records (with key patterns) and comments", async () => {
    const config = `z.object({
      /** The web tier. */
      web: z.object({ image: z.string(), args: z.array(z.string()).min(1) }),
      // Extra labels.
      labels: z.record(z.string(), z.string()),
      media: z.record(z.string().regex(/^[a-z]+$/), z.object({ path: z.string() })).optional(),
    })`;
    expect(await fieldOf({ config }, "#config")).toBe(`#config: {
	// The web tier.
	web!: {
		image!: string
		args!: [...string] & list.MinItems(1)
	}
	// Extra labels.
	labels!: [string]: string
	media?: [=~"^[a-z]+$"]: {
		path!: string
	}
}`);
  });

  it("maps secret() to schemas.#Secret with its Secret, key and the constraints on a literal", async () => {
    const config = `z.object({
      db: z.object({ password: secret({ name: "db", key: "password", value: z.string().min(12) }) }),
      token: secret({ name: "api", key: "token" }),
    })`;
    const { result } = await compileSnippet({ config });
    expect(result.ok && result.files["module.cue"]).toContain(`\tschemas "opmodel.dev/schemas@v0"\n`);
    expect(await fieldOf({ config }, "#config")).toBe(`#config: {
	db!: password!: schemas.#Secret & {
		"$secretName": "db"
		"$dataKey":    "password"
		value?:        string & strings.MinRunes(12)
	}
	token!: schemas.#Secret & {
		"$secretName": "api"
		"$dataKey":    "token"
	}
}`);
  });

  it("reads schemas through constants and imports what the constraints need", async () => {
    const { result } = await compileSnippet({
      prelude: `const size = z.string().max(8);`,
      config: `z.object({ a: size, b: z.array(z.int()).max(3) })`,
    });
    expect(result.ok && result.files["module.cue"]).toContain(`\t"list"\n\t"strings"\n`);
    expect(result.ok && result.files["module.cue"]).toContain("a!: string & strings.MaxRunes(8)");
  });
});

describe("components", () => {
  const config = `z.object({
    image: z.string(), replicas: z.int(), host: z.string(), port: z.int(),
    tls: z.boolean(), storageClass: z.string().optional(),
    args: z.array(z.string()), env: z.record(z.string(), z.string()),
  })`;

  it("embeds each builder's catalog mixin and turns config reads into #config references", async () => {
    const components = web(
      `workloadType("stateless"), Container({ name: "web", image: config.image }), Scaling({ count: config.replicas })`,
    );
    expect(await fieldOf({ config, components }, "#components")).toBe(`#components: web: {
	resources_workload.#Container
	traits_workload.#Scaling
	metadata: labels: "core.opmodel.dev/workload-type": "stateless"
	spec: {
		container: {
			name:  "web"
			image: #config.image
		}
		scaling: count: #config.replicas
	}
}`);
  });

  it("uses a blueprint's mixin and a component's own name and labels", async () => {
    const components = `(config) => ({ api: component(
      { name: "backend", labels: { tier: "api" } },
      StatelessWorkload({ container: { name: "api", image: config.image } }),
    ) })`;
    expect(await fieldOf({ config, components }, "#components")).toBe(`#components: api: {
	blueprints_core.#StatelessWorkload
	metadata: {
		name: "backend"
		labels: tier: "api"
	}
	spec: statelessWorkload: container: {
		name:  "api"
		image: #config.image
	}
}`);
  });

  it("turns template literals into interpolations and folds constants", async () => {
    const components = web(
      `Container({ name: \`web-\${"a"}\`, image: \`\${config.image}:\${1 + 2}\`, args: [\`--host=\${config.host}\`] })`,
    );
    expect(await fieldOf({ config, components }, "#components")).toContain(`spec: container: {
		name:  "web-a"
		image: "\\(#config.image):3"
		args: ["--host=\\(#config.host)"]
	}`);
  });

  it("turns a ternary on config into a pair of if fields, and folds a constant one", async () => {
    const components = web(
      `Expose({ type: config.tls ? "LoadBalancer" : "ClusterIP", ports: { http: { targetPort: true ? 80 : 81 } } })`,
    );
    expect(await fieldOf({ config, components }, "#components")).toContain(`spec: expose: {
		if #config.tls {
			type: "LoadBalancer"
		}
		if !#config.tls {
			type: "ClusterIP"
		}
		ports: http: targetPort: 80
	}`);
  });

  it("turns a spread of an optional config field's check into a guarded field", async () => {
    const components = web(
      `Volumes({ data: { name: "data", persistentClaim: { size: "1Gi", ...(config.storageClass === undefined ? {} : { storageClass: config.storageClass }) } } })`,
    );
    expect(await fieldOf({ config, components }, "#components")).toContain(`persistentClaim: {
			size: "1Gi"
			if #config.storageClass != _|_ {
				storageClass: #config.storageClass
			}
		}`);
  });

  it("inlines spreads of literal objects (later keys win) and embeds spreads of config", async () => {
    const components = `(config) => {
      const base = { name: "web", image: "nginx" };
      return { web: component(ConfigMaps({ a: { data: { ...config.env, x: "1" } } }), Container({ ...base, image: config.image })) };
    }`;
    const text = await fieldOf({ config, components }, "#components");
    expect(text).toContain(`configMaps: a: data: {
			#config.env
			x: "1"
		}`);
    expect(text).toContain(`container: {
			name:  "web"
			image: #config.image
		}`);
  });

  it("turns .map over a config array into a list comprehension, and unrolls a literal array", async () => {
    const components = web(
      `Container({ name: "web", image: "x", args: config.args.map((a) => \`--\${a}\`), command: ["a", "b"].map((c) => c.toUpperCase()) })`,
    );
    const text = await fieldOf({ config, components }, "#components");
    expect(text).toContain(`args: [for _index, _a in #config.args {"--\\(_a)"}]`);
    expect(text).toContain(`command: ["A", "B"]`);
  });

  it("turns .filter into a guarded comprehension, and decides it now over a literal array", async () => {
    const components = web(
      `Container({ name: "web", image: "x", args: config.args.filter((a) => a !== ""), command: ["a", "", "b"].filter((c) => c !== "") })`,
    );
    const text = await fieldOf({ config, components }, "#components");
    expect(text).toContain(`args: [for _index, _a in #config.args if _a != "" {_a}]`);
    expect(text).toContain(`command: ["a", "b"]`);
  });

  it("turns Object.entries(config.x).map(...) into a struct comprehension through Object.fromEntries", async () => {
    const components = web(
      `Container({ name: "web", image: "x", env: Object.fromEntries(Object.entries(config.env).map(([key, value]) => [key, { name: key, value }])) })`,
    );
    expect(await fieldOf({ config, components }, "#components")).toContain(`env: {
			for _key, _value in #config.env {
				(_key): {
					name:  _key
					value: _value
				}
			}
		}`);
  });

  it("inlines helper functions and local constants at each use", async () => {
    const components = `(config) => {
      const image = (name: string) => \`registry/\${name}:\${config.image}\`;
      return { web: component(Container({ name: "web", image: image("web"), args: label(config.host) })) };
    }`;
    const text = await fieldOf(
      { config, components, prelude: `function label(host: string) { return [\`--host=\${host}\`]; }` },
      "#components",
    );
    expect(text).toContain(`image: "registry/web:\\(#config.image)"`);
    expect(text).toContain(`args: ["--host=\\(#config.host)"]`);
  });

  it("translates base64 encoding, join and case conversion to the CUE standard library", async () => {
    const components = web(
      `Secrets({ s: { data: { P: Buffer.from(config.host).toString("base64") } } }), Container({ name: "web", image: config.args.join(","), args: [config.host.toUpperCase()] })`,
    );
    const { result } = await compileSnippet({ config, components });
    const text = result.ok ? result.files["module.cue"]! : "";
    expect(text).toContain(`P: base64.Encode(null, #config.host)`);
    expect(text).toContain(`image: strings.Join(#config.args, ",")`);
    expect(text).toContain(`args: [strings.ToUpper(#config.host)]`);
    expect(text).toContain(`\t"encoding/base64"\n`);
  });

  it("keeps a conditional in operand position as a guarded one-element list", async () => {
    const components = web(`Container({ name: "web", image: \`img:\${config.tls ? "tls" : "plain"}\` })`);
    expect(await fieldOf({ config, components }, "#components")).toContain(
      `image: "img:\\([if #config.tls {"tls"}, if !#config.tls {"plain"}][0])"`,
    );
  });
});

describe("more bindings and operators", () => {
  const config = `z.object({ image: z.string(), args: z.array(z.string()), env: z.record(z.string(), z.string()), tag: z.string().optional() })`;

  it("binds a destructured config parameter, spreads a config array and defaults with ??", async () => {
    const components = `({ image, args, tag }) => ({ web: component(Container({
      name: "web", image: \`\${image}:\${tag ?? "latest"}\`, args: [...args, "--verbose"],
      command: Object.keys({ a: 1, b: 2 }),
    })) })`;
    const text = await fieldOf({ config, components }, "#components");
    expect(text).toContain(
      `image: "\\(#config.image):\\([if #config.tag != _|_ {#config.tag}, if #config.tag == _|_ {"latest"}][0])"`,
    );
    expect(text).toContain(
      `args: [\n\t\t\tfor _item in #config.args {\n\t\t\t\t_item\n\t\t\t},\n\t\t\t"--verbose",\n\t\t]`,
    );
    expect(text).toContain(`command: ["a", "b"]`);
  });

  it("turns Object.keys and Object.values over config into comprehensions", async () => {
    const components = web(
      `Container({ name: "web", image: "x", args: Object.keys(config.env).map((k) => k), command: Object.values(config.env).map((v) => v) })`,
    );
    const text = await fieldOf({ config, components }, "#components");
    expect(text).toContain(`args: [for _k, _ in #config.env {_k}]`);
    expect(text).toContain(`command: [for _, _v in #config.env {_v}]`);
  });
});

describe("helper constants read with a computed key", () => {
  const config = `z.object({ env: z.record(z.string(), z.string()) })`;
  const prelude = `function vars(cfg: { env: Record<string, string> }) {
    const all = Object.fromEntries(Object.entries(cfg.env).map(([k, v]) => [k, { value: v }]));
    return Object.fromEntries(Object.keys(cfg.env).map((k) => [\`X_\${k}\`, all[k]!]));
  }
  function firsts(cfg: { env: Record<string, string> }) {
    const all = Object.fromEntries(Object.entries(cfg.env).map(([k, v]) => [k, v]));
    return Object.keys(cfg.env).map((k) => all[k]!);
  }`;

  it("become a CUE let in the helper's result", async () => {
    const components = web(`Container({ name: "web", image: "x", env: vars(config) })`);
    expect(await fieldOf({ config, components, prelude }, "#components")).toContain(`env: {
			let _all = {
				for _k, _v in #config.env {
					(_k): value: _v
				}
			}
			for _k_2, _ in #config.env {
				"X_\\(_k_2)": _all[_k_2]
			}
		}`);
  });

  it("are repeated where read when the result cannot hold a let", async () => {
    const components = web(`Container({ name: "web", image: "x", args: firsts(config) })`);
    expect(await fieldOf({ config, components, prelude }, "#components")).toContain(
      // (The first evaluation, which tried a let, used up _k and _k_2.)
      `args: [for _k_4, _ in #config.env {{
			for _k_3, _v_2 in #config.env {
				(_k_3): _v_2
			}
		}[_k_4]}]`,
    );
  });
});

describe("early returns and guarded spreads", () => {
  const config = `z.object({ tls: z.boolean(), storageClass: z.string().optional() })`;

  it("turns `if (c) return a;` in a helper into a conditional on the rest of its body", async () => {
    const prelude = `function claim(storageClass: string | undefined) {
      if (storageClass === undefined) return { size: "1Gi" };
      const sized = { size: "1Gi" };
      return { ...sized, storageClass };
    }`;
    const components = web(
      `Volumes({ data: { name: "data", persistentClaim: claim(config.storageClass) } })`,
    );
    expect(await fieldOf({ config, components, prelude }, "#components")).toContain(`data: {
		name: "data"
		if #config.storageClass == _|_ {
			persistentClaim: size: "1Gi"
		}
		if #config.storageClass != _|_ {
			persistentClaim: {
				size:         "1Gi"
				storageClass: #config.storageClass
			}
		}
	}`);
  });

  it("turns a spread of `c && {...}` into a guarded embedding", async () => {
    const components = web(`ConfigMaps({ s: { data: { A: "1", ...(config.tls && { TLS: "on" }) } } })`);
    expect(await fieldOf({ config, components }, "#components")).toContain(`data: {
		A: "1"
		if #config.tls {
			TLS: "on"
		}
	}`);
  });
});

describe("policies", () => {
  it("become #policies built from the rules' policy mixins, naming components by reference", async () => {
    const source = `import { z } from "zod";
import { Container, NetworkRulesPolicyRule } from "../../catalog/index.ts";
import { component, defineModule, policy, rule, workloadType } from "../index.ts";
export default defineModule({
  metadata: { apiVersion: "example.com/snippets@v0", name: "snippet", version: "0.1.0" },
  config: z.object({}),
  values: {},
  components: () => ({ web: component(workloadType("stateless"), Container({ name: "web", image: "x" })) }),
  policies: {
    isolate: policy({ appliesTo: { components: ["web"] } }, rule(NetworkRulesPolicyRule, { all: { denyAll: true } })),
  },
});
`;
    const { result } = await compileSnippet(source);
    if (!result.ok) throw new Error(result.issues.map((i) => i.message).join("\n"));
    expect(result.files["module.cue"]).toContain(`#policies: isolate: {
	policies_connectivity.#NetworkRules
	metadata: name: "isolate"
	appliesTo: components: [#components.web]
	spec: networkRules: all: denyAll: true
}`);
    expect(result.dependencies).toContain("opmodel.dev/policies@v0");
  });
});

describe("the module files", () => {
  it("writes metadata and values, and cue.mod/module.cue with the catalog modules the imports need", async () => {
    const { result } = await compileSnippet({
      config: `z.object({ image: z.string() })`,
      values: `{ image: "nginx:1.27" }`,
      components: web(`workloadType("stateless"), Container({ name: "web", image: config.image })`),
    });
    if (!result.ok) throw new Error("compile failed");
    expect(result.packageName).toBe("snippet");
    expect(result.files["cue.mod/module.cue"]).toBe(`module: "example.com/snippets@v0"
language: version: "v0.15.0"
source: kind:      "self"
deps: {
	"opmodel.dev/core@v0": v:      "v0.1.0"
	"opmodel.dev/resources@v0": v: "v0.1.0"
	"opmodel.dev/schemas@v0": v:   "v0.1.0"
}
`);
    const text = result.files["module.cue"]!;
    expect(text).toContain(`package snippet

import (
	core "opmodel.dev/core@v0"
	resources_workload "opmodel.dev/resources/workload@v0"
)

core.#Module

metadata: {
	apiVersion: "example.com/snippets@v0"
	name:       "snippet"
	version:    "0.1.0"
}`);
    expect(text).toContain(`values: image: "nginx:1.27"`);
  });
});
