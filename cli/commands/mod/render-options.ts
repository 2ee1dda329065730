// The flags every rendering command shares (build, vet, eval; later apply and diff), in one
// place so they are spelled and described the same everywhere.
import { Option } from "clipanion";
import { KubeCommand } from "../base.ts";
import type { RenderRequest } from "../../module/pipeline.ts";
import type { ExternalProvision, SetInput } from "../../../sdk/index.ts";

export abstract class RenderCommand extends KubeCommand {
  modulePath = Option.String({ required: false, name: "path" });
  values = Option.Array("-f,--values", [], {
    description:
      "values file (YAML, JSON, CUE, TS, or SOPS-encrypted *.sops.yaml/json; - for stdin), repeatable; later files win",
  });
  set = Option.Array("--set", [], {
    description: "set a value, e.g. --set image.tag=1.2 (repeatable; wins over files)",
  });
  setString = Option.Array("--set-string", [], {
    description: "set a value that stays a string, e.g. --set-string image.tag=1.10",
  });
  setJson = Option.Array("--set-json", [], {
    description: `set a value from JSON, e.g. --set-json 'ports=[{"port":80}]'`,
  });
  setFile = Option.Array("--set-file", [], {
    description: "set a value to a file's content, e.g. --set-file db.password=./pw.txt (wins over --set)",
  });
  releaseName = Option.String("--release-name", { description: "release name (default: the module name)" });
  releasePrefix = Option.Boolean("--release-prefix", {
    description:
      "name objects <release>-<name> so releases of one module can share a namespace; --no-release-prefix names them after their components (default: what the release was applied with, else the module's metadata.naming)",
  });
  provider = Option.String("--provider", {
    description: "provider (env OPM_PROVIDER; default the one configured, else kubernetes)",
  });
  strict = Option.Boolean("--strict", false, { description: "treat unhandled traits as errors" });
  moduleTimeout = Option.String("--module-timeout", {
    description: "time limit for each step of a TS module's code (env OPM_MODULE_TIMEOUT; default 30s)",
  });
  registry = Option.String("--registry", {
    description:
      "CUE registry for CUE modules' dependencies (env OPM_REGISTRY, then config, then CUE_REGISTRY)",
  });

  caFile = Option.String("--ca-file", {
    description:
      "PEM CA certificates for HTTPS registries, for <module path>@<version> (env OPM_REGISTRY_CA)",
  });

  protected renderRequest(): RenderRequest {
    return {
      path: this.modulePath ?? ".",
      values: this.values,
      set: this.setExpressions(),
      stdin: this.context.stdin,
      secrets: this.secrets,
      target: this.target(),
      releaseName: this.releaseName,
      ...(this.releasePrefix === undefined
        ? {}
        : { naming: this.releasePrefix ? ("release-prefixed" as const) : ("component" as const) }),
      provider: this.provider,
      strict: this.strict,
      registry: this.registry,
      caFile: this.caFile,
      engine: this.engineSettings(),
      explain: this.explaining(),
      moduleTimeout: this.moduleTimeout,
      moduleOutput: this.context.stderr,
      ...(this.provisionsCluster() === undefined
        ? {}
        : { readProvisions: (ns: string, release: string) => this.readProvisions(ns, release) }),
    };
  }

  /**
   * Whether (and with which request timeout) the render may read what other releases in the
   * namespace provide from the cluster, for interfaces the module requires but does not provide
   * (docs/interfaces.md): when a cluster is named with --kubeconfig or --context; commands that
   * work on the cluster (apply, diff) always.
   */
  protected provisionsCluster(): { readonly requestTimeout: string } | undefined {
    return this.kubeconfig !== undefined || this.kubeContext !== undefined
      ? { requestTimeout: "30s" }
      : undefined;
  }

  private async readProvisions(namespace: string, release: string): Promise<readonly ExternalProvision[]> {
    const { connect } = await import("./cluster-common.ts");
    const { readClusterProvisions } = await import("../../module/cluster-provisions.ts");
    const client = await connect(this.target(), this.provisionsCluster()?.requestTimeout ?? "30s");
    try {
      return await readClusterProvisions(client, namespace, release);
    } finally {
      client.close();
    }
  }

  /** The `--set` family in Helm's order of precedence: --set-json, --set, --set-string, --set-file (later wins). */
  protected setExpressions(): SetInput[] {
    return [
      ...this.setJson.map((text) => ({ flag: "--set-json" as const, text })),
      ...this.set.map((text) => ({ flag: "--set" as const, text })),
      ...this.setString.map((text) => ({ flag: "--set-string" as const, text })),
      ...this.setFile.map((text) => ({ flag: "--set-file" as const, text })),
    ];
  }

  /** Whether the verbose report will be shown (it then says where the CUE catalog comes from). */
  protected explaining(): boolean {
    return this.verbose;
  }
}
