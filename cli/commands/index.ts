// Every `opm` command, one line each: its path and how to load its class. To add a command: create
// cli/commands/<group>/<verb>.ts exporting one class and add it here; buildCli() registers this
// list in order. Each command's module is loaded on first use: a run that names its command
// (`opm mod build ...`) loads that one only, so a start-up initialises neither the other commands
// nor what they import (the Kubernetes client, SOPS' crypto, yaml, child processes...); help,
// completion and docs load them all. main.test.ts checks that each path is its class's path.
// Keep command files cheap to import (clipanion and light helpers only): heavy dependencies are
// imported inside execute(), so `opm --help` does not pay for the Kubernetes client or CUE.
import type { CommandClass } from "clipanion";
import type { OpmContext } from "../context.ts";

export interface CommandEntry {
  /** The command's words (its class's only path). */
  readonly path: readonly string[];
  readonly load: () => Promise<CommandClass<OpmContext>>;
}

// prettier-ignore
export const commands: readonly CommandEntry[] = [
  { path: ["mod", "init"], load: async () => (await import("./mod/init.ts")).ModInitCommand },
  { path: ["mod", "build"], load: async () => (await import("./mod/build.ts")).ModBuildCommand },
  { path: ["mod", "vet"], load: async () => (await import("./mod/vet.ts")).ModVetCommand },
  { path: ["mod", "eval"], load: async () => (await import("./mod/eval.ts")).ModEvalCommand },
  { path: ["mod", "gen-types"], load: async () => (await import("./mod/gen-types.ts")).ModGenTypesCommand },
  { path: ["mod", "vendor", "crd"], load: async () => (await import("./mod/vendor-crd.ts")).ModVendorCrdCommand },
  { path: ["mod", "apply"], load: async () => (await import("./mod/apply.ts")).ModApplyCommand },
  { path: ["mod", "diff"], load: async () => (await import("./mod/diff.ts")).ModDiffCommand },
  { path: ["mod", "status"], load: async () => (await import("./mod/status.ts")).ModStatusCommand },
  { path: ["mod", "list"], load: async () => (await import("./mod/list.ts")).ModListCommand },
  { path: ["mod", "tree"], load: async () => (await import("./mod/tree.ts")).ModTreeCommand },
  { path: ["mod", "events"], load: async () => (await import("./mod/events.ts")).ModEventsCommand },
  { path: ["mod", "delete"], load: async () => (await import("./mod/delete.ts")).ModDeleteCommand },
  { path: ["mod", "history"], load: async () => (await import("./mod/history.ts")).ModHistoryCommand },
  { path: ["mod", "rollback"], load: async () => (await import("./mod/rollback.ts")).ModRollbackCommand },
  { path: ["mod", "get-values"], load: async () => (await import("./mod/get-values.ts")).ModGetValuesCommand },
  { path: ["mod", "handoff"], load: async () => (await import("./mod/handoff.ts")).ModHandoffCommand },
  { path: ["mod", "publish"], load: async () => (await import("./mod/publish.ts")).ModPublishCommand },
  { path: ["mod", "get"], load: async () => (await import("./mod/get.ts")).ModGetCommand },
  { path: ["mod", "update"], load: async () => (await import("./mod/update.ts")).ModUpdateCommand },
  { path: ["mod", "tidy"], load: async () => (await import("./mod/tidy.ts")).ModTidyCommand },
  { path: ["template", "list"], load: async () => (await import("./template/list.ts")).TemplateListCommand },
  { path: ["template", "get"], load: async () => (await import("./template/get.ts")).TemplateGetCommand },
  { path: ["template", "show"], load: async () => (await import("./template/show.ts")).TemplateShowCommand },
  { path: ["template", "validate"], load: async () => (await import("./template/validate.ts")).TemplateValidateCommand },
  { path: ["template", "publish"], load: async () => (await import("./template/publish.ts")).TemplatePublishCommand },
  { path: ["registry", "login"], load: async () => (await import("./registry/login.ts")).RegistryLoginCommand },
  { path: ["registry", "logout"], load: async () => (await import("./registry/logout.ts")).RegistryLogoutCommand },
  { path: ["dev", "cluster"], load: async () => (await import("./dev/cluster.ts")).DevClusterCommand },
  { path: ["controller", "run"], load: async () => (await import("./controller/run.ts")).ControllerRunCommand },
  { path: ["controller", "install"], load: async () => (await import("./controller/install.ts")).ControllerInstallCommand },
  { path: ["config", "init"], load: async () => (await import("./config/init.ts")).ConfigInitCommand },
  { path: ["config", "vet"], load: async () => (await import("./config/vet.ts")).ConfigVetCommand },
  { path: ["config", "update"], load: async () => (await import("./config/update.ts")).ConfigUpdateCommand },
  { path: ["version"], load: async () => (await import("./version.ts")).VersionCommand },
  { path: ["completion"], load: async () => (await import("./completion.ts")).CompletionCommand },
  { path: ["__complete"], load: async () => (await import("./complete.ts")).CompleteCommand },
];
