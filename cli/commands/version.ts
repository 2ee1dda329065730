import { Command } from "clipanion";
import { VERSION } from "../../sdk/version.ts";
import type { OpmContext } from "../context.ts";
import { formatData, isDataFormat, outputOption } from "../output/data.ts";

export class VersionCommand extends Command<OpmContext> {
  static override paths = [["version"]];
  static override usage = Command.Usage({
    category: "General commands",
    description: "print the version of opm and of its parts",
    examples: [
      ["Print the version", "opm version"],
      ["Print it as JSON", "opm version -o json"],
    ],
  });

  output = outputOption(["text", "json", "yaml"], "text");

  async execute(): Promise<number> {
    const info = {
      version: VERSION,
      node: process.versions.node,
      platform: `${process.platform}/${process.arch}`,
    };
    if (isDataFormat(this.output)) {
      this.context.stdout.write(await formatData(this.output, info));
    } else {
      this.context.stdout.write(`opm ${info.version} (node ${info.node}, ${info.platform})\n`);
    }
    return 0;
  }
}
