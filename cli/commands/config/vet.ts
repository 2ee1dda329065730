import { Command } from "clipanion";
import { readFile } from "node:fs/promises";
import { checkConfigFile } from "../../config/load.ts";
import {
  configPath,
  describeSettings,
  kubeSettings,
  namespaceSetting,
  providerSetting,
} from "../../config/settings.ts";
import { OpmError } from "../../../sdk/errors.ts";
import { KubeCommand } from "../base.ts";

export class ConfigVetCommand extends KubeCommand {
  static override paths = [["config", "vet"]];
  static override usage = Command.Usage({
    category: "Configuration commands",
    description: "check the configuration file against the config schema",
    details: `
      Evaluates the configuration with the CUE engine and checks it against \`#Config\` of the
      catalog (\`opmodel.dev/core@v0\`). Problems are reported with their file:line:col (exit 2).
      With \`-v\`, prints every resolved setting and where it came from (flag > env > config >
      default).
    `,
    examples: [
      ["Check ~/.opm/config.cue", "$0 config vet"],
      ["Check another file and show the resolved settings", "$0 config vet --config ./config.cue -v"],
    ],
  });

  async run(): Promise<number> {
    const path = configPath(this.configPath, this.context.env, this.context.cwd);
    const text = await readFile(path.value, "utf8").catch(() => undefined);
    if (text === undefined) {
      throw new OpmError("ConfigNotFound", {
        message: `no configuration at ${path.value} (${path.source})`,
        hint: "create one with `opm config init`",
      });
    }
    const config = await checkConfigFile(path.value, text, this.engineSettings());
    this.context.stdout.write(`${this.outStyle.ok("✔")} Configuration is valid: ${path.value}\n`);
    if (this.verbose) {
      const env = this.context.env;
      const kube = kubeSettings({ kubeconfig: this.kubeconfig, context: this.kubeContext }, env, config);
      const settings = {
        config: path,
        namespace: namespaceSetting(this.namespace, env, undefined, config, undefined),
        provider: providerSetting(undefined, env, config),
        kubeconfig: kube.kubeconfig,
        context: kube.context,
      };
      for (const line of describeSettings(settings)) this.note(`  ${line}`);
    }
    return 0;
  }
}
