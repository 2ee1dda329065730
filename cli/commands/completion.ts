import { Command, Option } from "clipanion";
import * as t from "typanion";
import { completionScript, SHELLS } from "../docs/completion.ts";
import { commandInfos } from "../docs/definitions.ts";
import { OpmCommand } from "./base.ts";

export class CompletionCommand extends OpmCommand {
  static override paths = [["completion"]];
  static override usage = Command.Usage({
    category: "General commands",
    description: "print a shell completion script (bash, zsh or fish)",
    details: `
      Prints a completion script for commands, flags and files, generated from the command
      definitions of this opm.
    `,
    examples: [
      ["Enable completion in the current bash", "source <($0 completion bash)"],
      ["Enable it for every zsh session", '$0 completion zsh > "\${fpath[1]}/_opm"'],
      ["Enable it in fish", "$0 completion fish | source"],
    ],
  });

  shell = Option.String({ name: "shell", validator: t.isEnum(SHELLS) });

  async run(): Promise<number> {
    const { buildCli } = await import("../main.ts");
    this.context.stdout.write(completionScript(this.shell, commandInfos(buildCli())));
    return 0;
  }
}
