// Publishing and getting modules through the CLI against the real registries, with the real
// `cue` as the oracle both ways: what `opm mod publish` publishes, `cue mod tidy` + `cue export`
// consume; what `cue mod publish` publishes, `opm mod get` consumes (and writes the same
// module.cue as `cue mod get`). Then the TLS + basic-auth registry with `opm registry login`,
// and the refusals: an existing version, a bad version, a tampered blob, a traversal archive.
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Registry, startRegistry } from "../../testenv/registry.ts";
import { run, tempDir } from "../__tests__/run.ts";
import { RegistryClient } from "../../providers/oci/client.ts";
import { writeZip } from "../../providers/oci/zip.ts";
import { digestOf, MediaType } from "../../providers/oci/media-types.ts";
import { blobDataPath } from "../../providers/oci/__tests__/helpers.ts";
import { cueModuleFile, runTool, writeFiles } from "./__tests__/tools.ts";

const host = inject("registry");
const registry = `example.com=${host}+insecure`;

function cueEnv(home: string): Record<string, string> {
  return {
    HOME: home,
    CUE_REGISTRY: registry,
    CUE_CACHE_DIR: join(home, "cue-cache"),
    DOCKER_CONFIG: join(home, "docker"),
  };
}

describe("opm mod publish / get with cue as the oracle", () => {
  it("publishes a CUE module that cue mod tidy and cue export consume", async () => {
    const lib = writeFiles(tempDir(), {
      "cue.mod/module.cue": cueModuleFile("example.com/opmlib@v0"),
      "lib.cue": 'package opmlib\n\ngreeting: "published by opm"\n',
      "sub/part.cue": "package sub\n\nn: 7\n",
    });
    const published = await run([
      "mod",
      "publish",
      lib,
      "--version",
      "v0.1.0",
      "--registry",
      registry,
      "-o",
      "json",
    ]);
    expect(published.err).toContain("publishing example.com/opmlib@v0@v0.1.0");
    expect(published.code, published.err).toBe(0);
    const result = JSON.parse(published.out) as { reference: string; digest: string; language: string };
    expect(result.reference).toBe(`${host}/example.com/opmlib:v0.1.0`);
    expect(result.language).toBe("cue");

    const home = tempDir();
    const app = writeFiles(tempDir(), {
      "cue.mod/module.cue": 'module: "example.com/app@v0"\nlanguage: version: "v0.15.0"\n',
      "app.cue":
        'package app\n\nimport (\n\t"example.com/opmlib"\n\t"example.com/opmlib/sub"\n)\n\nout: "\\(opmlib.greeting) \\(sub.n)"\n',
    });
    const tidy = await runTool("cue", ["mod", "tidy"], { cwd: app, env: cueEnv(home) });
    expect(tidy.code, tidy.err).toBe(0);
    const exported = await runTool("cue", ["export", "-e", "out"], { cwd: app, env: cueEnv(home) });
    expect(exported.code, exported.err).toBe(0);
    expect(exported.out.trim()).toBe('"published by opm 7"');
  });

  it("gets a module that cue mod publish published, writing the module.cue cue mod get writes", async () => {
    const home = tempDir();
    const base = writeFiles(tempDir(), {
      "cue.mod/module.cue": cueModuleFile("example.com/cuebase@v0"),
      "base.cue": "package cuebase\n\nport: 8080\n",
    });
    expect((await runTool("cue", ["mod", "publish", "v0.2.0"], { cwd: base, env: cueEnv(home) })).code).toBe(
      0,
    );
    const lib = writeFiles(tempDir(), {
      "cue.mod/module.cue": cueModuleFile("example.com/cuelib@v0", { "example.com/cuebase@v0": "v0.2.0" }),
      "lib.cue": 'package cuelib\n\nimport "example.com/cuebase"\n\nport: cuebase.port\n',
    });
    const pub = await runTool("cue", ["mod", "publish", "v1.0.0-rc.1"], { cwd: lib, env: cueEnv(home) });
    expect(pub.code, pub.err).toBe(1); // major v1 version of a @v0 module: cue refuses too
    expect((await runTool("cue", ["mod", "publish", "v0.3.0"], { cwd: lib, env: cueEnv(home) })).code).toBe(
      0,
    );

    const consumer = {
      "cue.mod/module.cue": 'module: "example.com/consumer@v0"\nlanguage: version: "v0.15.0"\n',
      "c.cue": 'package consumer\n\nimport "example.com/cuelib"\n\nport: cuelib.port\n',
    };
    const viaOpm = writeFiles(tempDir(), consumer);
    const viaCue = writeFiles(tempDir(), consumer);
    const got = await run([
      "mod",
      "get",
      "example.com/cuelib@v0.3.0",
      "--dir",
      viaOpm,
      "--registry",
      registry,
    ]);
    expect(got.code, got.err).toBe(0);
    expect(got.out).toMatch(/^example\.com\/cuelib@v0@v0\.3\.0 sha256:[a-f0-9]{64}\n$/);
    const cueGet = await runTool("cue", ["mod", "get", "example.com/cuelib@v0.3.0"], {
      cwd: viaCue,
      env: cueEnv(home),
    });
    expect(cueGet.code, cueGet.err).toBe(0);
    expect(readFileSync(join(viaOpm, "cue.mod/module.cue"), "utf8")).toBe(
      readFileSync(join(viaCue, "cue.mod/module.cue"), "utf8"),
    );
    const exported = await runTool("cue", ["export", "-e", "port"], { cwd: viaOpm, env: cueEnv(tempDir()) });
    expect(exported.out.trim()).toBe("8080");

    const out = join(tempDir(), "downloaded");
    const download = await run([
      "mod",
      "get",
      "example.com/cuelib@v0.3.0",
      "--output",
      out,
      "--registry",
      registry,
    ]);
    expect(download.code, download.err).toBe(0);
    expect(readFileSync(join(out, "lib.cue"), "utf8")).toBe(readFileSync(join(lib, "lib.cue"), "utf8"));
    expect(readFileSync(join(out, "cue.mod/module.cue"), "utf8")).toBe(
      readFileSync(join(lib, "cue.mod/module.cue"), "utf8"),
    );
  });

  it("refuses to replace a version without --force, and versions that are not strict SemVer or of another major", async () => {
    const lib = writeFiles(tempDir(), {
      "cue.mod/module.cue": cueModuleFile("example.com/versions@v0"),
      "v.cue": "package versions\n\nv: 1\n",
    });
    expect((await run(["mod", "publish", lib, "--version", "v0.1.0", "--registry", registry])).code).toBe(0);
    const again = await run(["mod", "publish", lib, "--version", "v0.1.0", "--registry", registry]);
    expect(again.code).toBe(2);
    expect(again.err).toContain("OPM9012");
    expect(again.err).toContain("is already published");
    writeFileSync(join(lib, "v.cue"), "package versions\n\nv: 2\n");
    const forced = await run([
      "mod",
      "publish",
      lib,
      "--version",
      "v0.1.0",
      "--force",
      "--registry",
      registry,
      "-o",
      "json",
    ]);
    expect(forced.code, forced.err).toBe(0);
    expect(JSON.parse(forced.out).replaced).toBe(true);
    for (const [version, code] of [
      ["latest", "OPM9011"],
      ["0.2.0", "OPM9011"],
      ["v1.0.0", "OPM9011"],
    ] as const) {
      const bad = await run(["mod", "publish", lib, "--version", version, "--registry", registry]);
      expect(bad.code, version).toBe(2);
      expect(bad.err, version).toContain(code);
    }
  });

  it("refuses a tampered zip and a traversal archive with coded errors, writing nothing", async () => {
    const dir = tempDir();
    const own = await startRegistry({ dir });
    try {
      const reg = `example.com=${own.host}+insecure`;
      const lib = writeFiles(tempDir(), {
        "cue.mod/module.cue": cueModuleFile("example.com/tampered@v0"),
        "t.cue": "package tampered\n\nt: 1\n",
      });
      expect((await run(["mod", "publish", lib, "--version", "v0.1.0", "--registry", reg])).code).toBe(0);
      const client = new RegistryClient();
      const manifest = (
        await client.pullManifest({ host: own.host, repository: "example.com/tampered" }, "v0.1.0")
      ).json as {
        layers: { digest: string }[];
      };
      const zipPath = blobDataPath(dir, manifest.layers[0]!.digest);
      writeFileSync(
        zipPath,
        writeZip({
          "cue.mod/module.cue": cueModuleFile("example.com/tampered@v0"),
          "t.cue": "package tampered\n\nt: 666\n",
        }),
      );
      const out = join(tempDir(), "t");
      const tampered = await run([
        "mod",
        "get",
        "example.com/tampered@v0.1.0",
        "--output",
        out,
        "--registry",
        reg,
      ]);
      expect(tampered.code).toBe(2);
      expect(tampered.err).toContain("OPM9006");
      expect(existsSync(out)).toBe(false);

      // A module whose zip holds ../escape.cue, pushed with valid digests.
      const moduleFile = cueModuleFile("example.com/traversal@v0");
      const zip = writeZip({ "cue.mod/module.cue": moduleFile, "aa/escape.cue": "x: 1\n" });
      const evil = Buffer.from(zip.toString("latin1").split("aa/escape.cue").join("../escape.cue"), "latin1");
      const repo = { host: own.host, repository: "example.com/traversal" };
      const config = Buffer.from("{}");
      for (const blob of [config, evil, Buffer.from(moduleFile)]) await client.pushBlob(repo, blob);
      const bytes = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.imageManifest,
          config: { mediaType: "application/vnd.cue.module.v1+json", digest: digestOf(config), size: 2 },
          layers: [
            { mediaType: "application/zip", digest: digestOf(evil), size: evil.length },
            {
              mediaType: "application/vnd.cue.modulefile.v1",
              digest: digestOf(Buffer.from(moduleFile)),
              size: moduleFile.length,
            },
          ],
        }),
      );
      await client.pushManifest(repo, "v0.1.0", bytes, MediaType.imageManifest);
      const target = join(tempDir(), "inner", "t");
      const traversal = await run([
        "mod",
        "get",
        "example.com/traversal@v0.1.0",
        "--output",
        target,
        "--registry",
        reg,
      ]);
      expect(traversal.code).toBe(2);
      expect(traversal.err).toContain("OPM9008");
      expect(traversal.err).toContain("../escape.cue");
      expect(existsSync(join(target, "..", "escape.cue"))).toBe(false);
      expect(existsSync(target)).toBe(false);
    } finally {
      await own.stop();
    }
  });
});

describe("publishing a TypeScript module", () => {
  it("compiles it to CUE, checks the render parity, and publishes a module cue vets", async () => {
    const { publishCatalog } = await import("../../bridge/module/__tests__/catalog-registry.ts");
    await publishCatalog(`http://${host}`);
    const both = `opmodel.dev=${host}+insecure,${registry}`;
    const published = await run([
      "mod",
      "publish",
      "examples/blog",
      "--version",
      "v0.1.0",
      "--registry",
      both,
      "-o",
      "json",
    ]);
    expect(published.code, published.err).toBe(0);
    expect(JSON.parse(published.out)).toMatchObject({ module: "example.com/modules@v0", language: "ts" });
    const out = join(tempDir(), "blog");
    expect(
      (await run(["mod", "get", "example.com/modules@v0.1.0", "--output", out, "--registry", both])).code,
    ).toBe(0);
    expect(readFileSync(join(out, "cue.mod/module.cue"), "utf8")).toContain('"opmodel.dev/core@v0"');
    const home = tempDir();
    const vet = await runTool("cue", ["vet", "-c=false", "./..."], {
      cwd: out,
      env: { HOME: home, CUE_REGISTRY: both, CUE_CACHE_DIR: join(home, "cache") },
    });
    expect(vet.code, vet.err).toBe(0);
  }, 180_000);
});

describe("the TLS + basic-auth registry through the CLI", () => {
  let secure: Registry;
  beforeAll(async () => {
    secure = await startRegistry({ secure: true });
  });
  afterAll(() => secure?.stop());

  it("logs in (checking the password first), publishes, gets, and logs out", async () => {
    const { username, password, caCert } = secure.auth!;
    const dockerDir = tempDir();
    const env = { DOCKER_CONFIG: dockerDir, OPM_REGISTRY_CA: caCert };
    const reg = `example.com=${secure.host}+secure`;
    const wrong = await run(["registry", "login", secure.host, "-u", username, "-p", "nope"], { env });
    expect(wrong.code, wrong.err).toBe(4);
    expect(wrong.err).toContain("OPM9003");
    expect(existsSync(join(dockerDir, "config.json"))).toBe(false);
    const login = await run(["registry", "login", secure.host, "-u", username, "--password-stdin"], {
      env,
      stdin: `${password}\n`,
    });
    expect(login.code, login.err).toBe(0);
    expect(login.out).not.toContain(password);
    expect(statSync(join(dockerDir, "config.json")).mode & 0o777).toBe(0o600);

    const lib = writeFiles(tempDir(), {
      "cue.mod/module.cue": cueModuleFile("example.com/private@v0"),
      "p.cue": "package private\n\nsecret: 42\n",
    });
    const published = await run(["mod", "publish", lib, "--version", "v0.1.0", "--registry", reg], { env });
    expect(published.code, published.err).toBe(0);
    const out = join(tempDir(), "p");
    const got = await run(["mod", "get", "example.com/private@v0.1.0", "--output", out, "--registry", reg], {
      env,
    });
    expect(got.code, got.err).toBe(0);
    expect(readFileSync(join(out, "p.cue"), "utf8")).toContain("secret: 42");

    expect((await run(["registry", "logout", secure.host], { env })).out).toContain("Removed credentials");
    const denied = await run(
      ["mod", "get", "example.com/private@v0.1.0", "--output", join(tempDir(), "q"), "--registry", reg],
      { env },
    );
    expect(denied.code).toBe(4);
    expect(denied.err).toContain("opm registry login");
  });
});
