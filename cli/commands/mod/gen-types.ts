// `opm mod gen-types`: TS bindings (spec types, zod schemas, `#defaults`, definitions and
// builders for `component(...)`) from a CUE package of the user's own resources, traits,
// blueprints and policy rules, through the bridge's generateBindings. The files import
// `@opm/sdk/dsl` and `@opm/sdk/catalog` by name, so they compile in the user's project.
import { Command, Option } from "clipanion";
import { mkdir, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { OpmError } from "../../../sdk/errors.ts";
import { OpmCommand } from "../base.ts";

export class ModGenTypesCommand extends OpmCommand {
  static override paths = [["mod", "gen-types"]];
  static override usage = Command.Usage({
    category: "Module commands",
    description: "generate TS types and builders from a CUE package of definitions",
    details: `
      Reads a CUE package of OPM definitions (\`#<Name>Resource\`, \`#<Name>Trait\`,
      \`#<Name>Blueprint\`, \`#<Name>PolicyRule\`, e.g. a team's own traits importing
      \`opmodel.dev/core@v0\`) through the CUE engine and writes one TS file per package: spec
      types, zod schemas, \`#defaults\`, definition objects and builders to use with
      \`component(...)\` from \`@opm/sdk/dsl\`. Definitions of the OPM catalog that the package
      refers to are imported from \`@opm/sdk/catalog\`. The package's imports resolve through its
      \`cue.mod\` and the CUE registry (\`--registry\`, env OPM_REGISTRY, config, CUE_REGISTRY);
      \`opmodel.dev/...@v0\` comes from the catalog built into opm unless the registry setting routes
      \`opmodel.dev\` explicitly (\`opmodel.dev=<registry>\`).
    `,
    examples: [
      [
        "Generate bindings for ./cue/traits into ./src/generated",
        "$0 mod gen-types ./cue/traits --out src/generated",
      ],
    ],
  });

  packageDir = Option.String({ name: "dir" });
  out = Option.String("--out", { required: true, description: "directory to write the TS files into" });
  packageName = Option.String("--package", {
    description: "CUE package name, when the directory holds several",
  });
  registry = Option.String("--registry", {
    description:
      "CUE registry for the package's dependencies (env OPM_REGISTRY, then config, then CUE_REGISTRY)",
  });

  async run(): Promise<number> {
    const { env, cwd } = this.context;
    const { configPath, registrySetting } = await import("../../config/settings.ts");
    const { loadConfig } = await import("../../config/load.ts");
    const config = await loadConfig(configPath(this.configPath, env, cwd), this.engineSettings());
    const registry = registrySetting(this.registry, env, config.config).value;
    const { BindingsError, generateBindings } = await import("../../../bridge/index.ts");
    const { startCueEngine } = await import("../../cue-engine.ts");
    const cacheDir = env["CUE_CACHE_DIR"];
    const engine = await startCueEngine(this.engineSettings(), cacheDir === undefined ? {} : { cacheDir });
    const dir = resolve(cwd, this.packageDir);
    let files: Map<string, string>;
    try {
      files = await generateBindings(engine, {
        dir,
        ...(this.packageName === undefined ? {} : { package: this.packageName }),
        ...(registry === undefined ? {} : { registry }),
      });
    } catch (error) {
      if (!(error instanceof BindingsError)) throw error;
      throw new OpmError("BindingsFailed", {
        message: [
          error.message,
          ...error.issues.map((i) => (i.path === "" ? i.message : `${i.path}: ${i.message}`)),
        ]
          .filter((line, i, all) => all.indexOf(line) === i)
          .join("\n  "),
        locations: error.issues.flatMap((i) =>
          i.positions.map((p) => ({ file: relativeTo(cwd, dir, p.file), line: p.line, column: p.column })),
        ),
        hint: "fix the CUE package (or its cue.mod dependencies) and run the command again",
        cause: error,
      });
    } finally {
      await engine.close();
    }
    const outDir = resolve(cwd, this.out);
    try {
      await mkdir(outDir, { recursive: true });
      for (const [name, text] of files) await writeFile(join(outDir, name), text);
    } catch (error) {
      throw new OpmError("OutputWriteFailed", {
        message: `cannot write into ${outDir}: ${(error as Error).message}`,
        hint: "check that the output directory is writable",
        cause: error,
      });
    }
    for (const name of files.keys()) this.context.stdout.write(`${relative(cwd, join(outDir, name))}\n`);
    return 0;
  }
}

/** CUE reports package files relative to the package directory; show them relative to cwd. */
function relativeTo(cwd: string, dir: string, file: string): string {
  return relative(cwd, resolve(dir, file));
}
