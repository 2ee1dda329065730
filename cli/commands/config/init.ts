import { Command, Option } from "clipanion";
import { existsSync } from "node:fs";
import { chmod, mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { configPath } from "../../config/settings.ts";
import { CONFIG_TEMPLATE } from "../../config/schema.ts";
import { OpmError } from "../../../sdk/errors.ts";
import { OpmCommand } from "../base.ts";

export class ConfigInitCommand extends OpmCommand {
  static override paths = [["config", "init"]];
  static override usage = Command.Usage({
    category: "Configuration commands",
    description: "write a configuration file with the defaults",
    details: `
      Writes \`~/.opm/config.cue\` (or \`--config\`, \`OPM_CONFIG\`): the registry, the providers,
      the Kubernetes kubeconfig, context and namespace, and log settings. The directory is created
      with mode 0700 and the file with 0600. An existing file is kept unless \`--force\`.
    `,
    examples: [
      ["Write ~/.opm/config.cue", "$0 config init"],
      ["Write a config elsewhere", "$0 config init --config ./opm-config/config.cue"],
      ["Overwrite an existing config", "$0 config init --force"],
    ],
  });

  force = Option.Boolean("-f,--force", false, { description: "overwrite an existing configuration" });

  async run(): Promise<number> {
    const path = configPath(this.configPath, this.context.env, this.context.cwd).value;
    if (existsSync(path) && !this.force) {
      throw new OpmError("ConfigExists", {
        message: `configuration already exists: ${path}`,
        hint: "check it with `opm config vet`, migrate it with `opm config update`, or replace it with --force",
      });
    }
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const temp = `${path}.${process.pid}.tmp`;
    await writeFile(temp, CONFIG_TEMPLATE, { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, path);
    this.context.stdout.write(`Wrote configuration to ${path}\nCheck it with: opm config vet\n`);
    return 0;
  }
}
