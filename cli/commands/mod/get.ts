import { Command, Option } from "clipanion";
import { RegistryCommand } from "./registry-options.ts";
import { formatData, isDataFormat, outputOption } from "../../output/data.ts";

export class ModGetCommand extends RegistryCommand {
  static override paths = [["mod", "get"]];
  static override usage = Command.Usage({
    category: "Distribution commands",
    description: "add a module dependency, or download a module version",
    details: `
      With module versions (\`<module path>@<version>\`), adds or moves those dependencies of the
      CUE module here (\`--dir\`), like \`cue mod get\`: the requirements of every version are
      read from the registry and resolved by minimum version selection, and
      \`cue.mod/module.cue\` is rewritten with the whole build list.

      With \`--output <dir>\`, downloads the module versions into that directory instead (one
      version: its files directly; several: one folder each). Nothing is written unless every
      digest checks and the archive is safe; \`--verify-key\` also demands a cosign signature
      made with that key.
    `,
    examples: [
      ["Depend on a module", "$0 mod get example.com/lib@v0.2.0"],
      ["Download a module version into ./lib", "$0 mod get example.com/lib@v0.2.0 --output lib"],
      ["Only accept a signed version", "$0 mod get example.com/lib@v1.0.0 --verify-key cosign.pub"],
    ],
  });

  modules = Option.Rest({ required: 1, name: "module@version" });
  dir = Option.String("--dir", ".", { description: "the module whose dependencies change" });
  outputDir = Option.String("--output", { description: "download into this directory instead" });
  verifyKey = Option.String("--verify-key", {
    description: "cosign public key (PEM): refuse versions without a valid signature by it",
  });
  format = outputOption(["text", "json", "yaml"], "text", "-o");

  async run(): Promise<number> {
    const { getModules } = await import("../../distribution/get.ts");
    const result = await getModules(
      {
        modules: this.modules,
        dir: this.dir,
        output: this.outputDir,
        verifyKey: this.verifyKey,
        flags: this.registryFlags(),
      },
      this.context.cwd,
      this.context.env,
    );
    if (isDataFormat(this.format)) {
      this.context.stdout.write(await formatData(this.format, result));
      return 0;
    }
    for (const m of result.modules) {
      this.context.stdout.write(
        `${m.module}@${m.version} ${m.digest}${m.verified ? " (signature verified)" : ""}\n`,
      );
    }
    if (result.output !== undefined) this.note(`wrote ${result.output}`);
    else this.note(`updated cue.mod/module.cue (${Object.keys(result.deps ?? {}).length} dependencies)`);
    return 0;
  }
}
