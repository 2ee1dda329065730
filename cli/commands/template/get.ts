import { Command, Option } from "clipanion";
import { RegistryCommand } from "../mod/registry-options.ts";

export class TemplateGetCommand extends RegistryCommand {
  static override paths = [["template", "get"]];
  static override usage = Command.Usage({
    category: "Template commands",
    description: "download a published template (placeholders unfilled) to edit it",
    examples: [["Download a template into ./web-template", "$0 template get web --output web-template"]],
  });

  ref = Option.String({ name: "template" });
  outputDir = Option.String("--output", { required: true, description: "directory to create" });

  async run(): Promise<number> {
    const { withTemplate } = await import("../../distribution/template-commands.ts");
    const { writeTreeAtomically } = await import("../../../providers/oci/index.ts");
    const { MANIFEST } = await import("../../distribution/templates.ts");
    const { resolve } = await import("node:path");
    return withTemplate(this, this.ref, async (template, manifestText) => {
      const files = new Map(template.files);
      files.set(MANIFEST, Buffer.from(manifestText));
      await writeTreeAtomically(resolve(this.context.cwd, this.outputDir), files);
      this.context.stdout.write(`${template.ref} written to ${this.outputDir}\n`);
      return 0;
    });
  }
}
