// The TS catalog agrees with the CUE one: every generated definition is reachable from the
// public entry, FQNs and spec keys computed in TS equal those CUE computed, and builders put
// the spec under the definition's key.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as catalog from "./index.ts";
import type { CatalogDescription } from "../bridge/codegen/description.ts";

const description = JSON.parse(
  readFileSync(new URL("./generated/catalog.json", import.meta.url), "utf8"),
) as CatalogDescription;
const definitions = description.packages.flatMap((p) => p.definitions);
const exported = catalog as unknown as Record<string, unknown>;

/** The export of a definition; the standalone WorkloadIdentity resource is renamed. */
function exportName(cueName: string): string {
  return cueName.slice(1);
}

describe("the catalog's public entry", () => {
  it.each(definitions.map((d) => [d.cueName, d] as const))(
    "exports %s with CUE's FQN and spec key",
    (_, d) => {
      const def = exported[exportName(d.cueName)] as {
        metadata: { fqn: string };
        specKey: string;
        kind: string;
      };
      expect(def, `${d.cueName} is not exported from catalog/index.ts`).toBeDefined();
      expect(def.kind).toBe(d.kind);
      expect(def.metadata.fqn).toBe(d.metadata.fqn);
      expect(def.specKey).toBe(d.specKey);
    },
  );

  it("exports a builder for every resource, trait and blueprint", () => {
    const missing = definitions
      .filter((d) => d.kind !== "PolicyRule")
      .map((d) =>
        d.cueName === "#WorkloadIdentityResource" ? "StandaloneWorkloadIdentity" : d.mixin.slice(1),
      )
      .filter((name) => typeof exported[name] !== "function");
    expect(missing).toEqual([]);
  });

  it("has the 20 traits all applying to Container", () => {
    const traits = definitions.filter((d) => d.kind === "Trait");
    expect(traits).toHaveLength(20);
    for (const t of traits) expect(t.appliesTo).toEqual(["opmodel.dev/resources/workload@v0#Container"]);
  });
});

describe("builders", () => {
  it("put the spec under the spec key and register the definition by FQN", () => {
    const part = catalog.HealthCheck({ livenessProbe: { httpGet: { path: "/", port: 80 } } });
    expect(part.spec).toEqual({ healthCheck: { livenessProbe: { httpGet: { path: "/", port: 80 } } } });
    expect(Object.keys(part.traits)).toEqual(["opmodel.dev/traits/workload@v0#HealthCheck"]);
  });

  it("carry the mixin's list-output annotation for plural resources", () => {
    expect(catalog.Volumes({}).annotations).toEqual({ "transformer.opmodel.dev/list-output": true });
    expect(catalog.Container({ name: "a", image: "b" }).annotations).toEqual({});
  });

  it("blueprints carry their workload-type label and composition", () => {
    const bp = catalog.StatefulWorkloadBlueprint;
    expect(bp.metadata.labels).toEqual({
      "core.opmodel.dev/category": "workload",
      "core.opmodel.dev/workload-type": "stateful",
    });
    expect(Object.keys(bp.composedResources).sort()).toEqual([
      "opmodel.dev/resources/storage@v0#Volumes",
      "opmodel.dev/resources/workload@v0#Container",
    ]);
  });
});

describe("spec schemas", () => {
  it("accept a valid spec and report every problem of an invalid one", () => {
    const schema = catalog.ContainerResource.schema!;
    expect(schema.validate!({ name: "web", image: "nginx", ports: { http: { targetPort: 80 } } })).toEqual(
      [],
    );
    const issues = schema.validate!({ name: "Web", ports: { http: { targetPort: 0 } }, extra: 1 });
    expect(issues.map((i) => i.path.join("."))).toEqual(
      expect.arrayContaining(["name", "image", "ports.http.targetPort", ""]),
    );
  });

  it("accept the #defaults of definitions whose defaults are complete specs", () => {
    const incomplete = definitions
      .filter((d) => d.defaults !== undefined)
      .filter((d) => {
        const def = exported[exportName(d.cueName)] as { schema: { validate(v: unknown): unknown[] } };
        return def.schema.validate(d.defaults).length > 0;
      })
      .map((d) => d.cueName);
    // These defaults fill only the optional parts; the rest must come from the author.
    expect(incomplete).toEqual([
      "#ContainerResource",
      "#WorkloadIdentityResource",
      "#CronJobConfigTrait",
      "#SizingTrait",
      "#WorkloadIdentityTrait",
      "#AllowedRegistriesPolicyRule",
    ]);
  });
});

describe("SimpleDatabase expansion", () => {
  it("maps the database spec onto container, volumes, scaling, restart policy and readiness", () => {
    const password = { $opm: "secret", $secretName: "db", $dataKey: "password", value: "p" };
    const expanded = catalog.SimpleDatabaseBlueprint.expand!({
      engine: "mysql",
      version: "8.4",
      dbName: "app",
      username: "u",
      password,
      persistence: { enabled: false },
    });
    expect(expanded["container"]).toMatchObject({
      name: "mysql",
      image: "mysql:8.4",
      ports: { db: { targetPort: 3306 } },
      // The password is wired from the secret, never copied into a value.
      env: {
        MYSQL_DATABASE: { value: "app" },
        MYSQL_USER: { value: "u" },
        MYSQL_PASSWORD: { from: password },
      },
      volumeMounts: { data: { mountPath: "/var/lib/mysql", emptyDir: {} } },
    });
    const env = (expanded["container"] as { env: Record<string, unknown> }).env;
    expect(env["MYSQL_PASSWORD"]).toEqual({ name: "MYSQL_PASSWORD", from: password });
    expect(expanded["volumes"]).toEqual({ data: { name: "data", emptyDir: {} } });
    expect(expanded["scaling"]).toEqual({ count: 1 });
  });
});
