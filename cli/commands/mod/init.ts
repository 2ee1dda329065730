import { Command, Option } from "clipanion";
import * as t from "typanion";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { OpmError } from "../../../sdk/errors.ts";
import { OpmCommand } from "../base.ts";
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
    description: "simple, standard or advanced",
    validator: t.isEnum(TEMPLATES),
  });
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
    const files: ScaffoldFile[] =
      this.lang === "cue"
        ? (await import("../../templates/cue.ts")).cueScaffold(this.template, data)
        : (await import("../../templates/typescript.ts")).typescriptScaffold(this.template, data);
    await writeScaffold(target, files);

    const lines = [`Created ${this.lang === "cue" ? "CUE" : "TypeScript"} module '${this.name}' in ${shown}`];
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
