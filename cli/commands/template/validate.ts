import { Command, Option } from "clipanion";
import { OpmCommand } from "../base.ts";

export class TemplateValidateCommand extends OpmCommand {
  static override paths = [["template", "validate"]];
  static override usage = Command.Usage({
    category: "Template commands",
    description: "check a template directory before publishing it",
    details: `
      Checks \`template.cue\` (name, version, description, placeholders from ModuleName,
      ModuleNamePascal, ModulePath, PackageName, Version), that every \`{{placeholder}}\` a file uses
      is declared, that \`cue.mod/module.cue\` exists, and that every CUE file is valid CUE once
      the placeholders are filled.
    `,
    examples: [["Check the template here", "$0 template validate"]],
  });

  dir = Option.String({ required: false, name: "dir" });

  async run(): Promise<number> {
    const { localTemplate } = await import("../../distribution/template-commands.ts");
    const template = await localTemplate(this.dir ?? ".", this.context.cwd, this.context.env);
    this.context.stdout.write(
      `template ${template.manifest.name} ${template.manifest.version} is valid (${template.files.size} files)\n`,
    );
    return 0;
  }
}
