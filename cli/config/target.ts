// A command's target, resolved once per run: the config file (read and checked with the CUE
// engine once), the kubeconfig and context, and the namespace by the one precedence rule
// (docs/architecture.md, decision 3). A command that renders and then talks to the cluster (apply,
// diff) hands the same Target to both halves, so they cannot disagree and nothing is read twice.
// Every command's base class imports this file, so the kubeconfig reader (and the YAML parser
// under it) is imported only when a kubeconfig is read: `opm version` must not pay for it.
import type { EngineSettings } from "../cue-engine.ts";
import { loadConfig, type LoadedConfig } from "./load.ts";
import { configPath, kubeSettings, namespaceSetting, type KubeSettings, type Resolved } from "./settings.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** What a command says about its target (kubectl's flags and `--config`). */
export interface TargetFlags {
  readonly configPath?: string | undefined;
  readonly namespace?: string | undefined;
  readonly kubeconfig?: string | undefined;
  readonly kubeContext?: string | undefined;
}

export class Target {
  /** `--config` > OPM_CONFIG > `~/.opm/config.cue`, resolved against the working directory. */
  readonly configFile: Resolved<string>;
  readonly env: Env;
  readonly #flags: TargetFlags;
  readonly #config: () => Promise<LoadedConfig>;

  /** The target a command's flags name, from `cwd`; nothing is read until it is asked for. */
  static of(flags: TargetFlags, env: Env, cwd: string, engine: EngineSettings = { env }): Target {
    const configFile = configPath(flags.configPath, env, cwd);
    let loaded: Promise<LoadedConfig> | undefined;
    return new Target(flags, env, configFile, () => (loaded ??= loadConfig(configFile, engine)));
  }

  private constructor(
    flags: TargetFlags,
    env: Env,
    configFile: Resolved<string>,
    config: () => Promise<LoadedConfig>,
  ) {
    this.#flags = flags;
    this.env = env;
    this.configFile = configFile;
    this.#config = config;
  }

  /** The configuration file, read and checked on first use only. */
  config(): Promise<LoadedConfig> {
    return this.#config();
  }

  /**
   * The same target with its namespace decided (as if given with `-n`), sharing what was read:
   * for a command that found its release first and then renders into the release's namespace.
   */
  inNamespace(namespace: string): Target {
    return new Target({ ...this.#flags, namespace }, this.env, this.configFile, this.#config);
  }

  /** Which kubeconfig files and context (flag > OPM_* env > config > KUBECONFIG > default). */
  async kube(): Promise<KubeSettings> {
    const { config } = await this.config();
    return kubeSettings(
      { kubeconfig: this.#flags.kubeconfig, context: this.#flags.kubeContext },
      this.env,
      config,
    );
  }

  /** The kubeconfig files to connect with, in kubectl's priority order. */
  async kubeconfigPaths(): Promise<{ readonly paths: string[]; readonly context: string | undefined }> {
    const kube = await this.kube();
    const { kubeconfigFiles } = await import("./kubeconfig.ts");
    return { paths: kubeconfigFiles(kube.kubeconfig.value, this.env), context: kube.context.value };
  }

  /**
   * `-n` > OPM_NAMESPACE > the module's defaultNamespace > config > the context's namespace >
   * `default`. The kubeconfig is read only when nothing before it decides.
   */
  async namespace(moduleDefault?: string): Promise<Resolved<string>> {
    const { config } = await this.config();
    const earlier = [
      this.#flags.namespace,
      this.env["OPM_NAMESPACE"],
      moduleDefault,
      config.kubernetes?.namespace,
    ];
    let fromContext: string | undefined;
    if (!earlier.some((v) => v !== undefined && v !== "")) {
      const kube = await this.kube();
      const { contextNamespace } = await import("./kubeconfig.ts");
      fromContext = contextNamespace(kube.kubeconfig.value, kube.context.value, this.env);
    }
    return namespaceSetting(this.#flags.namespace, this.env, moduleDefault, config, fromContext);
  }
}
