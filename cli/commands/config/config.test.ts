import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, run, tempDir } from "../../__tests__/run.ts";

const clean = (text: string, ...dirs: string[]) =>
  dirs.reduce((t, d) => t.replaceAll(d.endsWith("/") ? d.slice(0, -1) : d, "<dir>"), text);

describe("opm config init", () => {
  it("writes ~/.opm/config.cue with private permissions", async () => {
    const home = tempDir();
    const { code, out, err } = await run(["config", "init"], { env: { HOME: home } });
    expect(err).toBe("");
    expect(clean(out, home)).toMatchInlineSnapshot(`
      "Wrote configuration to <dir>/.opm/config.cue
      Check it with: opm config vet
      "
    `);
    expect(code).toBe(0);
    const path = join(home, ".opm", "config.cue");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, ".opm")).mode & 0o777).toBe(0o700);
    expect(readFileSync(path, "utf8")).toContain("providers: kubernetes: {}");
  });

  it("refuses to overwrite without --force, exit 1", async () => {
    const home = tempDir();
    await run(["config", "init"], { env: { HOME: home } });
    const again = await run(["config", "init"], { env: { HOME: home } });
    expect(clean(again.err, home)).toMatchInlineSnapshot(`
      "error OPM7015: configuration already exists: <dir>/.opm/config.cue
        hint: check it with \`opm config vet\`, migrate it with \`opm config update\`, or replace it with --force
      "
    `);
    expect(again.code).toBe(1);
    const forced = await run(["config", "init", "--force"], { env: { HOME: home } });
    expect(forced.code).toBe(0);
  });

  it("writes where OPM_CONFIG points", async () => {
    const dir = tempDir();
    const { code } = await run(["config", "init"], { env: { OPM_CONFIG: join(dir, "c", "config.cue") } });
    expect(code).toBe(0);
    expect(statSync(join(dir, "c", "config.cue")).isFile()).toBe(true);
  });
});

describe("opm config vet", () => {
  it("accepts the file config init writes, and shows resolved settings with -v", async () => {
    const home = tempDir();
    await run(["config", "init"], { env: { HOME: home } });
    const { code, out, err } = await run(["config", "vet", "-v", "-n", "from-flag"], {
      env: { HOME: home, OPM_CONTEXT: "ctx-from-env" },
    });
    expect(clean(out, home)).toMatchInlineSnapshot(`
      "✔ Configuration is valid: <dir>/.opm/config.cue
      "
    `);
    expect(clean(err, home)).toMatchInlineSnapshot(`
      "  config = <dir>/.opm/config.cue (default)
        namespace = from-flag (flag; shadows config: default)
        provider = kubernetes (config-auto)
        kubeconfig = ~/.kube/config (config)
        context = ctx-from-env (env)
      "
    `);
    expect(code).toBe(0);
  });

  it("reports every problem with its position, exit 2", async () => {
    const { code, out, err } = await run([
      "config",
      "vet",
      "--config",
      "cli/testdata/config/invalid/config.cue",
    ]);
    expect(out).toBe("");
    expect(clean(err, repoRoot)).toMatchInlineSnapshot(`
      "error OPM7016: config.kubernetes.namespace: invalid value "Not_A_Label" (out of bound =~"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
        --> <dir>/cli/testdata/config/invalid/config.cue:5:14
        hint: fix the configuration (fields and types are those of #Config in opmodel.dev/core@v0)
      error OPM7016: config.log.level: "loud" is not one of "debug", "error", "info", "warn"
        --> <dir>/cli/testdata/config/invalid/config.cue:7:14
        hint: fix the configuration (fields and types are those of #Config in opmodel.dev/core@v0)
      2 problems in <dir>/cli/testdata/config/invalid/config.cue
      "
    `);
    expect(code).toBe(2);
  });

  it("points an upstream-era config at config update, exit 2", async () => {
    const { code, err } = await run(["config", "vet", "--config", "cli/testdata/config/upstream/config.cue"]);
    expect(clean(err, repoRoot)).toMatchInlineSnapshot(`
      "error OPM7016: <dir>/cli/testdata/config/upstream/config.cue does not load: opmodel.dev/config@v0: import failed: <dir>/cli/testdata/config/upstream/config.cue:4:2: cannot find package "opmodel.dev/providers@v0": cannot find module providing package opmodel.dev/providers@v0
        hint: a config written for an older opm imports modules; migrate it with \`opm config update\`
      "
    `);
    expect(code).toBe(2);
  });

  it("fails with exit 5 when there is no config", async () => {
    const home = tempDir();
    const { code, err } = await run(["config", "vet"], { env: { HOME: home } });
    expect(clean(err, home)).toMatchInlineSnapshot(`
      "error OPM7014: no configuration at <dir>/.opm/config.cue (default)
        hint: create one with \`opm config init\`
      "
    `);
    expect(code).toBe(5);
  });
});

describe("opm config update", () => {
  it("migrates an upstream config, keeping the user's values", async () => {
    const dir = tempDir();
    const path = join(dir, "config.cue");
    copyFileSync(join(repoRoot, "cli/testdata/config/upstream/config.cue"), path);
    const { code, out, err } = await run(["config", "update", "--config", path]);
    expect(err).toBe("");
    expect(clean(out, dir)).toMatchInlineSnapshot(`
      "Updated <dir>/config.cue (the old file is <dir>/config.cue.bak)
        dropped log.kubernetes: not part of the current schema
      "
    `);
    expect(code).toBe(0);
    expect(readFileSync(path, "utf8")).toMatchInlineSnapshot(`
      "// OPM configuration: read by every opm command. Checked against #Config of
      // opmodel.dev/core@v0 (run \`opm config vet\`). Precedence: flag > env (OPM_*) > this file > default.
      package config

      config: {
      	registry: "opmodel.dev=localhost:5000+insecure,registry.cue.works"
      	providers: {
      		kubernetes: {}
      	}
      	kubernetes: {
      		kubeconfig: "~/.kube/config"
      		context:    "kind-dev"
      		namespace:  "apps"
      	}
      	log: {
      		timestamps: false
      	}
      }
      "
    `);
    expect(readFileSync(`${path}.bak`, "utf8")).toBe(
      readFileSync(join(repoRoot, "cli/testdata/config/upstream/config.cue"), "utf8"),
    );
    const vet = await run(["config", "vet", "--config", path]);
    expect(vet.code).toBe(0);
  });

  it("leaves a current config alone", async () => {
    const home = tempDir();
    await run(["config", "init"], { env: { HOME: home } });
    const { code, out } = await run(["config", "update"], { env: { HOME: home } });
    expect(clean(out, home)).toMatchInlineSnapshot(`
      "Configuration is up to date: <dir>/.opm/config.cue
      "
    `);
    expect(code).toBe(0);
  });
});

describe("the config in mod build", () => {
  it("takes namespace and provider from the config, and flags win over it", async () => {
    const home = tempDir();
    mkdirSync(join(home, ".opm"));
    writeFileSync(
      join(home, ".opm", "config.cue"),
      'package config\n\nconfig: {\n\tproviders: kubernetes: {}\n\tkubernetes: namespace: "from-config"\n}\n',
    );
    const { code, err } = await run(["mod", "build", "cli/testdata/web", "-v"], { env: { HOME: home } });
    expect(code).toBe(0);
    expect(clean(err, home)).toContain("namespace = web (module; shadows config: from-config)");
    expect(err).toContain("provider = kubernetes (config-auto)");
  });

  it("stops with the config's problems before rendering, exit 2", async () => {
    const { code, err } = await run([
      "mod",
      "build",
      "cli/testdata/web",
      "--config",
      "cli/testdata/config/invalid/config.cue",
    ]);
    expect(err).toContain("error OPM7016: config.kubernetes.namespace");
    expect(code).toBe(2);
  });

  it("refuses a --config or OPM_CONFIG file that does not exist, exit 5 (fuzz: it was ignored)", async () => {
    const missing = join(tempDir(), "nope.cue");
    const flag = await run(["mod", "build", "cli/testdata/web", "--config", missing]);
    expect(clean(flag.err, missing)).toMatchInlineSnapshot(`
      "error OPM7014: configuration file <dir> (from --config) does not exist
        hint: check the path, or create the file with \`opm config init\`
      "
    `);
    expect(flag.out).toBe("");
    expect(flag.code).toBe(5);
    const env = await run(["mod", "build", "cli/testdata/web"], { env: { OPM_CONFIG: missing } });
    expect(env.err).toContain("(from OPM_CONFIG) does not exist");
    expect(env.code).toBe(5);
    // Without either, a missing ~/.opm/config.cue just means defaults.
    expect((await run(["mod", "build", "cli/testdata/web"])).code).toBe(0);
  });
});

describe("help", () => {
  for (const verb of ["init", "vet", "update"]) {
    it(`shows help with examples for config ${verb}`, async () => {
      const { code, out } = await run(["config", verb, "--help"]);
      expect(code).toBe(0);
      expect(out).toContain("\nExamples\n");
      expect(out).toContain(`$ opm config ${verb}`);
    });
  }
});
