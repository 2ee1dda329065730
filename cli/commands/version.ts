import { Command, Option } from "clipanion";
import { VERSION } from "../../sdk/version.ts";
import type { OpmContext } from "../context.ts";

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

  output = Option.String("-o,--output", "text", { description: "output format: text or json" });

  async execute(): Promise<number> {
    const info = {
      version: VERSION,
      node: process.versions.node,
      platform: `${process.platform}/${process.arch}`,
    };
    if (this.output === "json") {
      this.context.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    } else {
      this.context.stdout.write(`opm ${info.version} (node ${info.node}, ${info.platform})\n`);
    }
    return 0;
  }
}
