import { Command, Option } from "clipanion";
import { RegistryCommand } from "./registry-options.ts";
import { formatData, isDataFormat, outputOption } from "../../output/data.ts";

export class ModTidyCommand extends RegistryCommand {
  static override paths = [["mod", "tidy"]];
  static override usage = Command.Usage({
    category: "Distribution commands",
    description: "make cue.mod/module.cue list exactly the dependencies the module's imports need",
    details: `
      Reads the imports of every CUE file of the module (\`--dir\`, default \`.\`), finds the module
      that serves each one (a listed dependency, else the latest version in the registry), resolves
      the build list by minimum version selection and rewrites \`cue.mod/module.cue\` as
      \`cue mod tidy\` would. No \`cue\` binary is needed. \`--check\` changes nothing and exits 1
      when the file is not tidy.
    `,
    examples: [
      ["Tidy the module here", "$0 mod tidy"],
      ["Fail in CI when module.cue is not tidy", "$0 mod tidy --check"],
    ],
  });

  dir = Option.String("--dir", ".", { description: "the module to tidy" });
  check = Option.Boolean("--check", false, { description: "only report; exit 1 when not tidy" });
  format = outputOption(["text", "json", "yaml"], "text", "-o");

  async run(): Promise<number> {
    const { tidyModule } = await import("../../distribution/tidy.ts");
    const result = await tidyModule(
      this.dir,
      this.registryFlags(),
      this.context.cwd,
      this.context.env,
      this.check,
    );
    if (isDataFormat(this.format)) this.context.stdout.write(await formatData(this.format, result));
    else {
      for (const path of result.added) this.context.stdout.write(`added ${path}@${result.deps[path]}\n`);
      for (const path of result.removed) this.context.stdout.write(`removed ${path}\n`);
      if (!result.changed) this.note("module.cue is tidy");
      else if (this.check) this.note("module.cue is not tidy; run `opm mod tidy`");
    }
    return this.check && result.changed ? 1 : 0;
  }
}
