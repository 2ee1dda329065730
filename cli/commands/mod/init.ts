import { Command, Option } from "clipanion";
import * as t from "typanion";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { OpmError } from "../../../sdk/errors.ts";
import { OpmCommand } from "../base.ts";
import { nearest } from "../../suggest.ts";
import { LANGUAGES, TEMPLATES, templateData, type ScaffoldFile } from "../../templates/names.ts";

const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export class ModInitCommand extends OpmCommand {
  static override paths = [["mod", "init"]];
  static override usage = Command.Usage({
    category: "Module commands",
    description: "create a new module from a template",
    details: `
      Writes a module that vets and builds right away. Templates: \`simple\` (one component),
      \`standard\` (a web front end and an API, the default) and \`advanced\` (web, API, worker and a
      database with storage, one file per component). \`--lang ts\` (default) writes a
      \`module.opm.ts\`; \`--lang cue\` a CUE module on the v0 catalog. The name must be a DNS label;
      an existing directory is never touched.
    `,
    examples: [
      ["Create a module in ./shop", "$0 mod init shop"],
      ["Start from the smallest template", "$0 mod init hello -t simple"],
      ["Write a CUE module into another directory", "$0 mod init shop --lang cue -d modules/shop"],
    ],
  });

  name = Option.String({ name: "name" });
  template = Option.String("-t,--template", "standard", {
    description: "simple, standard, advanced, or a published template: <module path>[@<version>]",
  });
  registry = Option.String("--registry", {
    description: "registries for published templates, CUE_REGISTRY syntax (env OPM_REGISTRY)",
  });
  caFile = Option.String("--ca-file", { description: "PEM CA certificates for HTTPS registries" });
  lang = Option.String("--lang", "ts", {
    description: "module language: ts or cue",
    validator: t.isEnum(LANGUAGES),
  });
  dir = Option.String("-d,--dir", { description: "directory to create (default: the module name)" });

  async run(): Promise<number> {
    if (this.name.length > 63 || !NAME.test(this.name)) {
      throw new OpmError("InvalidModuleName", {
        message: `module name ${JSON.stringify(this.name)} is not a DNS label`,
        hint: "use lower-case letters, digits and '-', starting and ending with a letter or digit (max 63)",
      });
    }
    const target = resolve(this.context.cwd, this.dir ?? this.name);
    const shown = relative(this.context.cwd, target) || ".";
    if (existsSync(target)) {
      throw new OpmError("DirectoryExists", {
        message: `${shown} already exists`,
        hint: "choose another name or --dir; opm never writes into an existing directory",
      });
    }
    const data = templateData(this.name);
    if (
      !(TEMPLATES as readonly string[]).includes(this.template) &&
      !this.template.split("@")[0]!.includes(".")
    ) {
      // Published templates are named by module path; a bare word must be a built-in one.
      const suggestion = nearest(this.template, TEMPLATES);
      throw new OpmError("Usage", {
        message: `opm mod init: invalid value for -t: expected one of "simple", "standard", or "advanced", or a template's module path (got "${this.template}")`,
        hint:
          suggestion === undefined
            ? "run 'opm mod init --help' for usage"
            : `did you mean ${suggestion}? (run 'opm mod init --help' for usage)`,
      });
    }
    const builtin = (TEMPLATES as readonly string[]).includes(this.template)
      ? (this.template as (typeof TEMPLATES)[number])
      : undefined;
    const files: ScaffoldFile[] =
      builtin === undefined
        ? await (
            await import("../../distribution/scaffold.ts")
          ).publishedScaffold(this.template, this.name, {
            flags: { registry: this.registry, caFile: this.caFile, configPath: this.configPath },
            cwd: this.context.cwd,
            env: this.context.env,
          })
        : this.lang === "cue"
          ? (await import("../../templates/cue.ts")).cueScaffold(builtin, data)
          : (await import("../../templates/typescript.ts")).typescriptScaffold(builtin, data);
    await writeScaffold(target, files);

    const language = builtin === undefined || this.lang === "cue" ? "CUE" : "TypeScript";
    const lines = [`Created ${language} module '${this.name}' in ${shown}`];
    for (const file of files) lines.push(`  ${file.path.padEnd(28)}${file.description}`);
    lines.push("", "Next:", `  cd ${shown}`, "  opm mod vet", "  opm mod build");
    this.context.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  }
}

/** Writes every file into a temp sibling, then renames it into place: all or nothing. */
async function writeScaffold(target: string, files: readonly ScaffoldFile[]): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temp = await mkdtemp(join(dirname(target), `.${basename(target)}.init-`));
  try {
    for (const file of files) {
      await mkdir(dirname(join(temp, file.path)), { recursive: true });
      await writeFile(join(temp, file.path), file.content);
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw new OpmError("OutputWriteFailed", {
      message: `cannot create ${target}: ${(error as Error).message}`,
      hint: "check that the parent directory is writable",
      cause: error,
    });
  }
}
