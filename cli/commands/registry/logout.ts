import { Command, Option } from "clipanion";
import { OpmCommand } from "../base.ts";

export class RegistryLogoutCommand extends OpmCommand {
  static override paths = [["registry", "logout"]];
  static override usage = Command.Usage({
    category: "Distribution commands",
    description: "remove a registry's credentials from Docker's config.json",
    examples: [["Forget a registry's credentials", "$0 registry logout registry.example.com"]],
  });

  host = Option.String({ required: true, name: "host[:port]" });

  async run(): Promise<number> {
    const { eraseDockerCredential } = await import("../../../providers/oci/index.ts");
    const erased = await eraseDockerCredential({ env: this.context.env }, this.host);
    this.context.stdout.write(
      erased ? `Removed credentials for ${this.host}\n` : `Not logged in to ${this.host}\n`,
    );
    return 0;
  }
}
