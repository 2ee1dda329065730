import { Command, Option } from "clipanion";
import { RegistryCommand } from "./registry-options.ts";
import { formatData, isDataFormat, outputOption } from "../../output/data.ts";

export class ModUpdateCommand extends RegistryCommand {
  static override paths = [["mod", "update"]];
  static override usage = Command.Usage({
    category: "Distribution commands",
    description: "move dependencies to their latest published versions",
    details: `
      Moves every dependency (or those named) of the module (\`--dir\`) to its latest stable
      version of the same major (any major with \`--major\`), then resolves the build list again
      by minimum version selection, as CUE does. \`--check\` only lists the updates and exits 1
      when there are some.
    `,
    examples: [
      ["Update every dependency", "$0 mod update"],
      ["Update one", "$0 mod update example.com/lib"],
      ["List available updates, majors included", "$0 mod update --check --major"],
    ],
  });

  deps = Option.Rest({ name: "dependency" });
  dir = Option.String("--dir", ".", { description: "the module to update" });
  check = Option.Boolean("--check", false, { description: "only list updates; exit 1 when some exist" });
  major = Option.Boolean("--major", false, { description: "also move to newer major versions" });
  format = outputOption(["text", "json", "yaml"], "text", "-o");

  async run(): Promise<number> {
    const { updateModule } = await import("../../distribution/update.ts");
    const updates = await updateModule(
      { dir: this.dir, only: this.deps, check: this.check, major: this.major, flags: this.registryFlags() },
      this.context.cwd,
      this.context.env,
    );
    if (isDataFormat(this.format)) this.context.stdout.write(await formatData(this.format, updates));
    else {
      for (const u of updates) {
        const renamed = u.path === u.module ? "" : ` (as ${u.path})`;
        this.context.stdout.write(`${u.module} ${u.from} -> ${u.to}${renamed}\n`);
      }
      if (updates.length === 0) this.note("every dependency is at its latest version");
    }
    return this.check && updates.length > 0 ? 1 : 0;
  }
}
