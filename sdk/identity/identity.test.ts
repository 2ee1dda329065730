import { describe, expect, it } from "vitest";
import {
  checkApiVersion,
  checkFqn,
  checkLabel,
  checkName,
  checkVersion,
  fqnOf,
  kebabToPascal,
  parseFqn,
  specKeyOf,
} from "./names.ts";
import { moduleIdentity, OPM_NAMESPACE, releaseIdentity, uuidV5 } from "./uuid.ts";
import { unionLabels } from "./labels.ts";

// Expected UUIDs computed independently with Python's uuid.uuid5 (see the brief of issue 4).
describe("uuidV5", () => {
  it("matches Python's uuid5 in the OPM namespace", () => {
    expect(uuidV5(OPM_NAMESPACE, "x")).toBe("b3fcded8-2541-5459-acb2-dd0c31cb1a44");
    expect(uuidV5(OPM_NAMESPACE, "héllo ✓")).toBe("9fe4dfdb-af79-5612-b776-5cd74cc3cada");
  });
  it("reproduces the DNS-namespace vector of upstream's overlay namespace", () => {
    expect(uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "opmodel.dev")).toBe(
      "c1cbe76d-5687-5a47-bfe6-83b081b15413",
    );
  });
  it("computes module and release identities", () => {
    expect(moduleIdentity("example.com/jellyfin@v0#Jellyfin", "0.1.0")).toBe(
      "2ed1203b-feee-5b40-b772-01b7182d16eb",
    );
    expect(moduleIdentity("example.com/modules@v0#Blog", "1.2.3")).toBe(
      "d6aea692-ac6b-5b0e-b8ac-ba25e20ffe2b",
    );
    expect(releaseIdentity("example.com/jellyfin@v0#Jellyfin", "jellyfin", "jellyfin")).toBe(
      "15b7e002-8c5a-5e16-8976-ef32fb21ce1b",
    );
  });
});

describe("names", () => {
  it("derives PascalNames, FQNs and spec keys", () => {
    expect(kebabToPascal("stateless-workload")).toBe("StatelessWorkload");
    expect(kebabToPascal("pvc-transformer")).toBe("PvcTransformer");
    expect(specKeyOf("config-maps")).toBe("configMaps");
    expect(specKeyOf("health-check")).toBe("healthCheck");
    expect(fqnOf("opmodel.dev/resources/workload@v0", "container")).toBe(
      "opmodel.dev/resources/workload@v0#Container",
    );
    expect(parseFqn("opmodel.dev/traits/network@v0#Expose")).toEqual({
      path: "opmodel.dev/traits/network",
      major: 0,
      apiVersion: "opmodel.dev/traits/network@v0",
      pascalName: "Expose",
    });
    expect(parseFqn("nope")).toBeUndefined();
  });
  it("rejects invalid names with a coded error", () => {
    expect(checkName("web-1")).toBeUndefined();
    const err = checkName("Web_1", "component name");
    expect(err?.code).toBe("OPM1001");
    expect(err?.message).toBe('component name "Web_1" is not a valid name');
    expect(checkName("a".repeat(64))?.code).toBe("OPM1001");
    expect(checkName("-a")?.code).toBe("OPM1001");
  });
  it("validates versions, apiVersions, FQNs and labels", () => {
    expect(checkVersion("1.0.0-rc.1+build.5")).toBeUndefined();
    expect(checkVersion("v1.0.0")?.code).toBe("OPM1002");
    expect(checkVersion("1.0")?.code).toBe("OPM1002");
    expect(checkApiVersion("example.com/modules@v0")).toBeUndefined();
    expect(checkApiVersion("example.com/modules")?.code).toBe("OPM1003");
    expect(checkFqn("example.com/modules@v0#Blog")).toBeUndefined();
    expect(checkFqn("example.com/modules@v0#blog")?.code).toBe("OPM1004");
    expect(checkLabel("app.kubernetes.io/name", "web")).toBeUndefined();
    expect(checkLabel("bad key", "x")?.code).toBe("OPM1005");
    expect(checkLabel("k", "not ok!")?.code).toBe("OPM1005");
  });
});

describe("unionLabels", () => {
  it("unions equal values and reports conflicts naming both sources", () => {
    const { labels, errors } = unionLabels(
      [
        { from: "resource A", labels: { a: "1", b: true } },
        { from: "trait B", labels: { a: 1, c: "x" } },
        { from: "blueprint C", labels: { c: "y" } },
      ],
      "component web",
    );
    expect(labels).toEqual({ a: "1", b: "true", c: "x" });
    expect(errors.map((e) => e.message)).toEqual([
      'component web: label c is "x" from trait B but "y" from blueprint C',
    ]);
  });
});
