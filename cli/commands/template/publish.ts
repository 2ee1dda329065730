import { Command, Option } from "clipanion";
import { RegistryCommand } from "../mod/registry-options.ts";

export class TemplatePublishCommand extends RegistryCommand {
  static override paths = [["template", "publish"]];
  static override usage = Command.Usage({
    category: "Template commands",
    description: "validate a template directory and publish it as a module version",
    examples: [["Publish the template here", "$0 template publish --version v0.1.0"]],
  });

  dir = Option.String({ required: false, name: "dir" });
  version = Option.String("--version", { required: true, description: "the version to publish (vX.Y.Z)" });
  force = Option.Boolean("--force", false, { description: "replace the version when it exists" });

  async run(): Promise<number> {
    const { localTemplate } = await import("../../distribution/template-commands.ts");
    await localTemplate(this.dir ?? ".", this.context.cwd, this.context.env);
    const { publishModule } = await import("../../distribution/publish.ts");
    const result = await publishModule(
      { path: this.dir ?? ".", version: this.version, force: this.force, flags: this.registryFlags() },
      this.context.cwd,
      this.context.env,
      (line) => this.note(line),
    );
    this.context.stdout.write(
      `published template ${result.module}@${result.version} to ${result.reference}@${result.digest}\n`,
    );
    return 0;
  }
}
