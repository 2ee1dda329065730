import { Command } from "clipanion";
import { readFile, rename, writeFile } from "node:fs/promises";
import { checkConfigFile, cueFromData, evaluateCue } from "../../config/load.ts";
import { detachProviderImports, migrateData } from "../../config/migrate.ts";
import { configPath } from "../../config/settings.ts";
import { OpmError } from "../../../sdk/errors.ts";
import { OpmCommand } from "../base.ts";

const HEADER = `// OPM configuration: read by every opm command. Checked against #Config of
// opmodel.dev/core@v0 (run \`opm config vet\`). Precedence: flag > env (OPM_*) > this file > default.
package config

`;

export class ConfigUpdateCommand extends OpmCommand {
  static override paths = [["config", "update"]];
  static override usage = Command.Usage({
    category: "Configuration commands",
    description: "migrate the configuration file to the current schema",
    details: `
      Rewrites a configuration written for an older schema (such as the upstream CLI's, which
      imports \`opmodel.dev/providers@v0\`) in the current layout, keeping every value the
      current \`#Config\` has and listing the fields it dropped. The old file is kept as
      \`<file>.bak\`. A file that is already current is left alone.
    `,
    examples: [
      ["Migrate ~/.opm/config.cue", "$0 config update"],
      ["Migrate another file", "$0 config update --config ./config.cue"],
    ],
  });

  async run(): Promise<number> {
    const path = configPath(this.configPath, this.context.env, this.context.cwd).value;
    const text = await readFile(path, "utf8").catch(() => undefined);
    if (text === undefined) {
      throw new OpmError("ConfigNotFound", {
        message: `no configuration at ${path}`,
        hint: "create one with `opm config init`",
      });
    }
    const engine = this.engineSettings();
    const data = await evaluateCue(path, detachProviderImports(text), engine);
    const { config, dropped } = migrateData(data);
    const updated = `${HEADER}${await cueFromData({ config }, engine)}`;
    const current = await checkConfigFile(path, text, engine).then(
      () => true,
      () => false,
    );
    if (current && dropped.length === 0 && !/opmodel\.dev\/providers@/.test(text)) {
      this.context.stdout.write(`Configuration is up to date: ${path}\n`);
      return 0;
    }
    await checkConfigFile(path, updated, engine);
    await rename(path, `${path}.bak`);
    const temp = `${path}.${process.pid}.tmp`;
    await writeFile(temp, updated, { mode: 0o600 });
    await rename(temp, path);
    const lines = [`Updated ${path} (the old file is ${path}.bak)`];
    for (const field of dropped) lines.push(`  dropped ${field}: not part of the current schema`);
    this.context.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  }
}
