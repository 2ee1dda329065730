import { Command, Option } from "clipanion";
import { RegistryCommand } from "../mod/registry-options.ts";
import { formatData, isDataFormat, outputOption } from "../../output/data.ts";

export class TemplateShowCommand extends RegistryCommand {
  static override paths = [["template", "show"]];
  static override usage = Command.Usage({
    category: "Template commands",
    description: "show a published template's manifest and files",
    examples: [
      ["Show a template", "$0 template show web"],
      ["A version, as JSON", "$0 template show example.com/tpl/web@v0.2.0 -o json"],
    ],
  });

  ref = Option.String({ name: "template" });
  output = outputOption(["text", "json", "yaml"], "text");

  async run(): Promise<number> {
    const { withTemplate } = await import("../../distribution/template-commands.ts");
    return withTemplate(this, this.ref, async (template) => {
      const info = {
        ref: template.ref,
        digest: template.digest,
        ...template.manifest,
        files: [...template.files.keys()],
      };
      if (isDataFormat(this.output)) this.context.stdout.write(await formatData(this.output, info));
      else {
        const lines = [
          `${info.name} ${info.version} (${info.ref})`,
          info.description,
          `placeholders: ${info.placeholders.join(", ") || "(none)"}`,
          "files:",
          ...info.files.map((f) => `  ${f}`),
        ];
        this.context.stdout.write(`${lines.join("\n")}\n`);
      }
      return 0;
    });
  }
}
