import { Command, Option } from "clipanion";
import * as t from "typanion";
import { completionScript, SHELLS } from "../docs/completion.ts";
import { OpmCommand } from "./base.ts";

export class CompletionCommand extends OpmCommand {
  static override paths = [["completion"]];
  static override usage = Command.Usage({
    category: "General commands",
    description: "print a shell completion script (bash, zsh or fish)",
    details: `
      Prints a completion script for commands, flags, enum values, kubeconfig contexts,
      namespaces, release names and paths. The script asks this opm at each Tab press, so it
      follows the commands of the installed version and never goes stale.
    `,
    examples: [
      ["Enable completion in the current bash", "source <($0 completion bash)"],
      ["Enable it for every zsh session", '$0 completion zsh > "\${fpath[1]}/_opm"'],
      ["Enable it in fish", "$0 completion fish | source"],
    ],
  });

  shell = Option.String({ name: "shell", validator: t.isEnum(SHELLS) });

  async run(): Promise<number> {
    this.context.stdout.write(completionScript(this.shell));
    return 0;
  }
}
