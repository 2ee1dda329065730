// Secrets written inline in a component's spec, not declared in the config: a literal and an
// External Secrets reference are rendered like the config's secrets (a Secret, an
// ExternalSecret), so the secretKeyRef an env variable gets names an object the release renders,
// in TS and CUE alike, release-prefixed too. Two different secrets claiming one Secret key stay
// an error naming both places and neither value.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { expectGolden } from "../../../test/golden.ts";
import { run, tempDir } from "../../__tests__/run.ts";

const TS = "cli/testdata/inline-secret";
const CUE = "cli/testdata/inline-secret/cue";

interface K8sObject {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: Record<string, unknown>;
}

function objects(yaml: string): K8sObject[] {
  return parseAllDocuments(yaml).map((d) => d.toJS() as K8sObject);
}

function envOf(deployment: K8sObject): unknown {
  const template = deployment.spec!["template"] as { spec: { containers: { env: unknown }[] } };
  return template.spec.containers[0]!.env;
}

describe.each([
  ["TS", TS],
  ["CUE", CUE],
])("secrets inline in a component (%s)", (_language, module) => {
  it("renders the Secret and the ExternalSecret the env variables read", async () => {
    const { code, out, err } = await run(["mod", "build", module]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expectGolden(out, join(TS, "expected.yaml"), { write: module === TS });
    const rendered = objects(out);
    expect(rendered.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "Secret/api",
      "Deployment/web",
      "ExternalSecret/license",
    ]);
    expect(rendered[0]!.data).toEqual({ token: Buffer.from("not-a-real-token").toString("base64") });
    expect(envOf(rendered[1]!)).toEqual([
      { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "api", key: "token" } } },
      { name: "LICENSE", valueFrom: { secretKeyRef: { name: "license", key: "key" } } },
    ]);
    // The value is in the Secret's data only, never in plain text.
    expect(out).not.toContain("not-a-real-token");
  });

  it("names them with the release prefix, and the references follow", async () => {
    const { code, out } = await run(["mod", "build", module, "--release-name", "blue", "--release-prefix"]);
    expect(code).toBe(0);
    const rendered = objects(out);
    expect(rendered.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "Secret/blue-api",
      "Deployment/blue-web",
      "ExternalSecret/blue-license",
    ]);
    expect(envOf(rendered[1]!)).toEqual([
      { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "blue-api", key: "token" } } },
      { name: "LICENSE", valueFrom: { secretKeyRef: { name: "blue-license", key: "key" } } },
    ]);
  });
});

describe("an inline secret that claims the key of a config secret", () => {
  it("with another value: exit 2 with OPM3010 naming both places, never the values", async () => {
    const dir = tempDir("opm-inline-secret-");
    const file = join(dir, "clash.opm.ts");
    writeFileSync(
      file,
      `import { Container } from "@opm/sdk/catalog";
import { component, defineModule, secret, workloadType } from "@opm/sdk/dsl";
import { z } from "zod";

export default defineModule({
  metadata: { apiVersion: "example.com/modules@v0", name: "clash", version: "1.0.0" },
  config: z.object({ token: secret({ name: "api", key: "token" }) }),
  values: { token: { value: "from-the-config" } },
  components: (cfg) => ({
    web: component(
      workloadType("stateless"),
      Container({
        name: "web",
        image: "nginx:1.27",
        env: {
          A: { from: cfg.token },
          B: { from: { $secretName: "api", $dataKey: "token", value: "written-inline" } },
        },
      }),
    ),
  }),
});
`,
    );
    const { code, out, err } = await run(["mod", "build", file]);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain(
      "error OPM3010: secret api/token is given twice, differently: at token and at components.web.spec.container.env.B.from",
    );
    expect(err).not.toContain("from-the-config");
    expect(err).not.toContain("written-inline");
  });
});
