import { Command, Option } from "clipanion";
import { RegistryCommand } from "../mod/registry-options.ts";

export class TemplateListCommand extends RegistryCommand {
  static override paths = [["template", "list"]];
  static override usage = Command.Usage({
    category: "Template commands",
    description: "list the built-in templates and those published under a prefix",
    details: `
      Prints the built-in templates (\`simple\`, \`standard\`, \`advanced\`) and, with \`--remote\`,
      every template module published under \`--prefix\` (default \`opmodel.dev/templates\`) in the
      registry that serves it, with its latest version.
    `,
    examples: [
      ["Built-in templates", "$0 template list"],
      ["And those in a registry", "$0 template list --remote --registry opmodel.dev=127.0.0.1:5000"],
    ],
  });

  remote = Option.Boolean("--remote", false, { description: "also list published templates" });
  prefix = Option.String("--prefix", "opmodel.dev/templates", {
    description: "module path prefix of templates",
  });

  async run(): Promise<number> {
    const { TEMPLATES } = await import("../../templates/names.ts");
    const rows: string[][] = TEMPLATES.map((t) => [t, "built-in", ""]);
    if (this.remote) {
      const { registryAccess } = await import("../../distribution/registry.ts");
      const { listTemplates } = await import("../../distribution/templates.ts");
      const { versionsOf } = await import("../../distribution/dependencies.ts");
      const { latestOf } = await import("../../../providers/oci/index.ts");
      const access = await registryAccess(this.registryFlags(), this.context.env, this.context.cwd);
      for (const path of await listTemplates(access.client, access, this.prefix)) {
        rows.push([path, "published", latestOf(await versionsOf(access, path, true)) ?? ""]);
      }
    }
    const { table } = await import("../mod/cluster-common.ts");
    this.context.stdout.write(table(["TEMPLATE", "KIND", "LATEST"], rows));
    return 0;
  }
}
