// References, versions and CUE_REGISTRY resolution: the grammar users type.
import { describe, expect, it } from "vitest";
import { isOciError } from "./errors.ts";
import { formatReference, parseReference } from "./reference.ts";
import { parseRegistryConfig, resolveModule } from "./registry-config.ts";
import { compareSemVer, isSemVer, latestOf } from "./semver.ts";

const keyOf = (fn: () => unknown) => {
  try {
    fn();
    return "no error";
  } catch (e) {
    return isOciError(e) ? e.key : e;
  }
};

describe("references", () => {
  it("parses host, repository, tag and digest, with or without oci://", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    expect(parseReference("127.0.0.1:5000/team/app:v1.0.0")).toEqual({
      host: "127.0.0.1:5000",
      repository: "team/app",
      tag: "v1.0.0",
    });
    expect(parseReference(`oci://ghcr.io/x/y@${digest}`)).toEqual({
      host: "ghcr.io",
      repository: "x/y",
      digest,
    });
    expect(formatReference(parseReference(`r.dev/a:t@${digest}`))).toBe(`r.dev/a:t@${digest}`);
  });

  it("refuses references without a host, with upper case, bad tags or digests", () => {
    for (const bad of ["app:v1", "r.dev/Team/app", "r.dev/app:-x", "r.dev/app@sha256:xyz", "r.dev/"]) {
      expect(
        keyOf(() => parseReference(bad)),
        bad,
      ).toBe("InvalidReference");
    }
  });
});

describe("versions", () => {
  it("accepts strict SemVer only and orders by precedence", () => {
    expect(["v1.0.0", "v0.1.2-rc.1", "v1.2.3+build.5"].every(isSemVer)).toBe(true);
    expect(["latest", "1.0.0", "v1", "v1.2", "v01.2.3"].some(isSemVer)).toBe(false);
    const sorted = ["v1.0.0", "v1.0.0-rc.2", "v1.0.0-rc.10", "v0.9.9", "v1.0.0-alpha"].sort(compareSemVer);
    expect(sorted).toEqual(["v0.9.9", "v1.0.0-alpha", "v1.0.0-rc.2", "v1.0.0-rc.10", "v1.0.0"]);
    expect(latestOf(["v1.0.0", "v1.1.0-rc.1", "latest"])).toBe("v1.0.0");
    expect(latestOf(["v1.0.0", "v1.1.0-rc.1"], { prerelease: true })).toBe("v1.1.0-rc.1");
  });
});

describe("CUE_REGISTRY", () => {
  it("resolves the longest matching prefix, path elements only, with CUE's defaults", () => {
    const config = parseRegistryConfig(
      "opmodel.dev=127.0.0.1:5000+insecure,opmodel.dev/templates=r.example.com/tpl,registry.cue.works",
    );
    expect(resolveModule(config, "opmodel.dev/core@v0")).toEqual({
      host: "127.0.0.1:5000",
      repository: "opmodel.dev/core",
      insecure: true,
    });
    expect(resolveModule(config, "opmodel.dev/templates/web@v1")).toEqual({
      host: "r.example.com",
      repository: "tpl/opmodel.dev/templates/web",
      insecure: false,
    });
    expect(resolveModule(config, "opmodel.devx/a@v0").host).toBe("registry.cue.works");
    expect(resolveModule(parseRegistryConfig(undefined), "x.dev/a@v0").host).toBe("registry.cue.works");
    expect(resolveModule(parseRegistryConfig("localhost:5000"), "x.dev/a").insecure).toBe(true);
    expect(resolveModule(parseRegistryConfig("127.0.0.1:5000+secure"), "x.dev/a").insecure).toBe(false);
  });

  it("refuses none, two defaults and malformed hosts", () => {
    expect(keyOf(() => resolveModule(parseRegistryConfig("x.dev=none,r.dev"), "x.dev/a"))).toBe("NoRegistry");
    expect(keyOf(() => parseRegistryConfig("a.dev,b.dev"))).toBe("InvalidReference");
    expect(keyOf(() => parseRegistryConfig("x.dev=bad host"))).toBe("InvalidReference");
  });
});
