// The base of every `opm` command: the cross-cutting options (verbosity, debugging, colour,
// config file) and the one error path. Commands implement `run()`; whatever it throws (or a
// flag validation clipanion raises before it) is presented by errors/present.ts on stderr and
// becomes the exit code, so no command formats errors or picks exit codes itself.
import { Command, Option } from "clipanion";
import type { OpmContext } from "../context.ts";
import type { EngineSettings } from "../cue-engine.ts";
import { Target } from "../config/target.ts";
import { SecretStrings } from "../../sdk/redact.ts";
import { presentError } from "../errors/present.ts";
import { redacting } from "../output/redacting-stream.ts";
import { colorsWanted, createStyle, type Style } from "../output/style.ts";

/** Where a failed command leaves its exit code for runCli (clipanion's catch() cannot return one). */
export const EXIT_CODE = Symbol.for("opm.cli.exitCode");

export abstract class OpmCommand extends Command<OpmContext> {
  verbose = Option.Boolean("-v,--verbose", false, {
    description: "explain what happens on stderr (resolved settings, match plan, provenance)",
  });
  debug = Option.Boolean("--debug", false, { description: "print stack traces of errors" });
  color = Option.Boolean("--color", {
    description:
      "colour the output even when piped (--no-color: never); default: on a terminal, unless NO_COLOR (FORCE_COLOR forces)",
  });
  configPath = Option.String("--config", {
    description: "configuration file (env OPM_CONFIG; default ~/.opm/config.cue)",
  });

  [EXIT_CODE]: number | undefined;

  private readonly noticesShown = new Set<string>();

  /**
   * The secret values this run has seen (rendered Secrets, sensitive fields, SOPS values,
   * --set-file contents, Secrets read from the cluster); removed from everything it prints.
   */
  protected readonly secrets = new SecretStrings();

  /** Does the command's work; returns an exit code (default 0) or throws. */
  abstract run(): Promise<number | void>;

  /**
   * Whether stdout is the one place secret values are asked for (`mod build` prints the
   * manifests, Secret data included, unless --redact; `mod eval --show-secrets`).
   */
  protected showsSecrets(): boolean {
    return false;
  }

  async execute(): Promise<number> {
    const { stdout, stderr } = this.context;
    this.context = {
      ...this.context,
      stdout: redacting(stdout, () => (this.showsSecrets() ? undefined : this.secrets)),
      stderr: redacting(stderr, () => this.secrets),
    };
    try {
      return (await this.run()) ?? 0;
    } catch (error) {
      return this.report(error);
    }
  }

  override async catch(error: unknown): Promise<void> {
    this[EXIT_CODE] = this.report(error);
  }

  /** Style for stderr (messages, errors); results on stdout are never coloured when piped. */
  protected get errStyle(): Style {
    return createStyle(colorsWanted(this.context.env, this.context.stderr, this.color));
  }

  protected get outStyle(): Style {
    return createStyle(colorsWanted(this.context.env, this.context.stdout, this.color));
  }

  /** Prints an error on stderr and returns its exit code. */
  protected report(error: unknown): number {
    const path = (this.constructor as typeof Command).paths?.[0];
    const { text, exitCode } = presentError(error, {
      style: this.errStyle,
      debug: this.debug,
      ...(path === undefined ? {} : { commandPath: ["opm", ...path].join(" ") }),
    });
    this.context.stderr.write(text);
    return exitCode;
  }

  /** How this command's CUE engines start; with `-v` their notices are shown, each once. */
  protected engineSettings(): EngineSettings {
    const notice = (line: string): void => {
      if (this.noticesShown.has(line)) return;
      this.noticesShown.add(line);
      this.note(`note: ${line}`);
    };
    return { env: this.context.env, notice: this.verbose ? notice : undefined };
  }

  /** A line on stderr (progress, notes); stdout stays for results. */
  protected note(line: string): void {
    this.context.stderr.write(`${line}\n`);
  }
}

/** Commands that resolve a Kubernetes target: kubectl's spellings and OPM_* env mirrors. */
export abstract class KubeCommand extends OpmCommand {
  namespace = Option.String("-n,--namespace", {
    description: "target namespace (env OPM_NAMESPACE)",
  });
  kubeconfig = Option.String("--kubeconfig", {
    description: "kubeconfig file (env OPM_KUBECONFIG, then KUBECONFIG; default ~/.kube/config)",
  });
  kubeContext = Option.String("--context,--kube-context", {
    description: "kubeconfig context (env OPM_CONTEXT; default the current context)",
  });

  #target: Target | undefined;

  /** This run's target (config file, kubeconfig, namespace): resolved once, however often asked. */
  protected target(): Target {
    return (this.#target ??= Target.of(this, this.context.env, this.context.cwd, this.engineSettings()));
  }
}
