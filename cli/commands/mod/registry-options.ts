// The flags every command that talks to a registry shares (publish, get, update, tidy,
// templates), spelled and described the same everywhere.
import { Option } from "clipanion";
import { OpmCommand } from "../base.ts";
import type { RegistryFlags } from "../../distribution/registry.ts";

export abstract class RegistryCommand extends OpmCommand {
  registry = Option.String("--registry", {
    description:
      "registries in CUE_REGISTRY syntax, e.g. example.com=127.0.0.1:5000 (env OPM_REGISTRY, then config, then CUE_REGISTRY)",
  });
  caFile = Option.String("--ca-file", {
    description: "PEM file of CA certificates to trust for HTTPS registries (env OPM_REGISTRY_CA)",
  });

  protected registryFlags(): RegistryFlags {
    return { registry: this.registry, caFile: this.caFile, configPath: this.configPath };
  }
}
