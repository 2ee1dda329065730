import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createCueEngine } from "../../../bridge/index.ts";
import { catalogRegistry, publishCatalog } from "../../../bridge/module/__tests__/catalog-registry.ts";
import { run, tempDir } from "../../__tests__/run.ts";

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    )
    .sort();
}

describe("opm mod init", () => {
  it("creates the standard TypeScript module and lists its files", async () => {
    const cwd = tempDir();
    const { code, out, err } = await run(["mod", "init", "shop"], { cwd });
    expect(err).toBe("");
    expect(out).toMatchInlineSnapshot(`
      "Created TypeScript module 'shop' in shop
        module.opm.ts               Module definition
        values.yaml                 Example values

      Next:
        cd shop
        opm mod vet
        opm mod build
      "
    `);
    expect(code).toBe(0);
    expect(listFiles(join(cwd, "shop"))).toEqual(["module.opm.ts", "values.yaml"]);
  });

  for (const template of ["simple", "standard", "advanced"]) {
    it(`scaffolds a ${template} TS module that vets and builds clean right away`, async () => {
      const cwd = tempDir();
      const init = await run(["mod", "init", "my-app", "-t", template], { cwd });
      expect(init.code).toBe(0);
      const vet = await run(["mod", "vet", "my-app"], { cwd });
      expect(vet.err).toBe("");
      expect(vet.code).toBe(0);
      const build = await run(["mod", "build", "my-app", "-f", "my-app/values.yaml", "--strict"], { cwd });
      expect(build.err).toBe("");
      expect(build.code).toBe(0);
      expect(build.out).toContain("kind: Deployment");
    });
  }

  it("writes the advanced template one file per component", async () => {
    const cwd = tempDir();
    await run(["mod", "init", "big", "-t", "advanced"], { cwd });
    expect(listFiles(join(cwd, "big"))).toEqual([
      "components/api.ts",
      "components/db.ts",
      "components/web.ts",
      "components/worker.ts",
      "config.ts",
      "module.opm.ts",
      "values.yaml",
    ]);
  });

  describe("--lang cue", () => {
    const engine = createCueEngine();
    afterAll(() => engine.close());

    for (const template of ["simple", "standard", "advanced"]) {
      it(`writes a ${template} CUE module whose files parse`, async () => {
        const cwd = tempDir();
        const { code, out } = await run(
          ["mod", "init", "svc", "--lang", "cue", "-t", template, "-d", "mods/svc"],
          {
            cwd,
          },
        );
        expect(code).toBe(0);
        expect(out.split("\n")[0]).toBe("Created CUE module 'svc' in mods/svc");
        const files = listFiles(join(cwd, "mods/svc"));
        expect(files).toEqual(["components.cue", "cue.mod/module.cue", "module.cue", "values.cue"]);
        for (const file of files) {
          const text = readFileSync(join(cwd, "mods/svc", file), "utf8");
          // format() parses the file; the result equals the input when it is already gofmt-clean.
          expect(await engine.format(text, { filename: file })).toBe(text);
        }
      });
    }

    for (const template of ["simple", "standard", "advanced"]) {
      it(`builds the ${template} CUE scaffold with the catalog from a registry`, async () => {
        const registry = inject("registry");
        await publishCatalog(`http://${registry}`);
        const cwd = tempDir();
        await run(["mod", "init", "svc", "--lang", "cue", "-t", template], { cwd });
        const build = await run(["mod", "build", "svc", "--registry", catalogRegistry(registry)], {
          cwd,
          env: { CUE_CACHE_DIR: tempDir() },
        });
        expect(build.err).toBe("");
        expect(build.code).toBe(0);
        expect(build.out).toContain("kind: Deployment");
      }, 120_000);
    }
    it("evaluates a CUE scaffold with mod eval", async () => {
      const registry = inject("registry");
      await publishCatalog(`http://${registry}`);
      const cwd = tempDir();
      await run(["mod", "init", "svc", "--lang", "cue"], { cwd });
      const evaluated = await run(
        ["mod", "eval", "svc", "-o", "json", "--registry", catalogRegistry(registry)],
        {
          cwd,
          env: { CUE_CACHE_DIR: tempDir() },
        },
      );
      expect(evaluated.err).toBe("");
      expect(evaluated.code).toBe(0);
      const data = JSON.parse(evaluated.out) as {
        components: Record<string, { spec: { scaling: unknown } }>;
      };
      expect(Object.keys(data.components)).toEqual(["api", "web"]);
      expect(data.components["web"]!.spec.scaling).toEqual({ count: 2 });
    }, 120_000);
  });

  it("refuses an existing directory, exit 2", async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "taken"));
    const { code, out, err } = await run(["mod", "init", "taken"], { cwd });
    expect(out).toBe("");
    expect(err).toMatchInlineSnapshot(`
      "error OPM7011: taken already exists
        hint: choose another name or --dir; opm never writes into an existing directory
      "
    `);
    expect(code).toBe(2);
    expect(readdirSync(join(cwd, "taken"))).toEqual([]);
  });

  it("refuses a name that is not a DNS label, exit 2", async () => {
    const cwd = tempDir();
    const { code, err } = await run(["mod", "init", "My_App"], { cwd });
    expect(err).toMatchInlineSnapshot(`
      "error OPM7012: module name "My_App" is not a DNS label
        hint: use lower-case letters, digits and '-', starting and ending with a letter or digit (max 63)
      "
    `);
    expect(code).toBe(2);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("rejects an unknown template as a usage error", async () => {
    const { code, err } = await run(["mod", "init", "x", "-t", "huge"], { cwd: tempDir() });
    expect(err).toMatchInlineSnapshot(`
      "error OPM7001: opm mod init: invalid value for -t: expected one of "simple", "standard", or "advanced", or a template's module path (got "huge")
        hint: run 'opm mod init --help' for usage
      "
    `);
    expect(code).toBe(1);
  });

  it("names the nearest built-in template for a near miss", async () => {
    const { code, err } = await run(["mod", "init", "x", "-t", "standrd"], { cwd: tempDir() });
    expect(err).toContain("hint: did you mean standard?");
    expect(code).toBe(1);
  });

  it("shows help with examples", async () => {
    const { code, out } = await run(["mod", "init", "--help"]);
    expect(code).toBe(0);
    expect(out).toMatchInlineSnapshot(`
      "Create a new module from a template

      Usage

      $ opm mod init <name>

      Options

        -v,--verbose                explain what happens on stderr (resolved settings, match plan, provenance)
        --debug                     print stack traces of errors
        --color                     colour the output even when piped (--no-color: never); default: on a terminal, unless NO_COLOR (FORCE_COLOR forces)
        --config <file>             configuration file (env OPM_CONFIG; default ~/.opm/config.cue)
        -t,--template <template>    simple, standard, advanced, or a published template: <module path>[@<version>] (default: standard)
        --registry <registry>       registries for published templates, CUE_REGISTRY syntax (env OPM_REGISTRY)
        --ca-file <file>            PEM CA certificates for HTTPS registries
        --lang <lang>               module language: ts or cue (default: ts)
        -d,--dir <dir>              directory to create (default: the module name)

      Details

      Writes a module that vets and builds right away. Templates: \`simple\` (one 
      component), \`standard\` (a web front end and an API, the default) and \`advanced\` 
      (web, API, worker and a database with storage, one file per component). \`--lang 
      ts\` (default) writes a \`module.opm.ts\`; \`--lang cue\` a CUE module on the v0 
      catalog. The name must be a DNS label; an existing directory is never touched.

      Examples

      Create a module in ./shop
        $ opm mod init shop

      Start from the smallest template
        $ opm mod init hello -t simple

      Write a CUE module into another directory
        $ opm mod init shop --lang cue -d modules/shop
      "
    `);
  });
});

describe("the namespace of a scaffold", () => {
  it("comes from -n, then the config, then the kubeconfig context", async () => {
    const cwd = tempDir();
    await run(["mod", "init", "app", "-t", "simple"], { cwd });
    const kubeconfig = join(cwd, "kubeconfig");
    writeFileSync(
      kubeconfig,
      "apiVersion: v1\nkind: Config\ncurrent-context: dev\ncontexts:\n- name: dev\n  context:\n    cluster: c\n    namespace: from-context\n",
    );
    const namespaceOf = async (argv: string[], env: Record<string, string> = {}) => {
      const { code, out } = await run(["mod", "build", "app", "-o", "json", ...argv], { cwd, env });
      expect(code).toBe(0);
      return (JSON.parse(out) as { items: { metadata: { namespace: string } }[] }).items[0]!.metadata
        .namespace;
    };
    expect(await namespaceOf([])).toBe("default");
    expect(await namespaceOf(["--kubeconfig", kubeconfig])).toBe("from-context");
    expect(await namespaceOf([], { KUBECONFIG: kubeconfig })).toBe("from-context");
    const home = tempDir();
    mkdirSync(join(home, ".opm"));
    writeFileSync(
      join(home, ".opm", "config.cue"),
      'package config\n\nconfig: kubernetes: namespace: "from-config"\n',
    );
    expect(await namespaceOf(["--kubeconfig", kubeconfig], { HOME: home })).toBe("from-config");
    expect(await namespaceOf(["--kubeconfig", kubeconfig, "-n", "from-flag"], { HOME: home })).toBe(
      "from-flag",
    );
  });
});
