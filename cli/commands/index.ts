// Every `opm` command, one line each. To add a command: create cli/commands/<group>/<verb>.ts
// exporting one class and add it here; buildCli() registers this list in order.
// Keep command files cheap to import (clipanion and light helpers only): heavy dependencies are
// imported inside execute(), so `opm --help` does not pay for the Kubernetes client or CUE.
import type { CommandClass } from "clipanion";
import type { OpmContext } from "../context.ts";
import { CompleteCommand } from "./complete.ts";
import { CompletionCommand } from "./completion.ts";
import { ConfigInitCommand } from "./config/init.ts";
import { ConfigUpdateCommand } from "./config/update.ts";
import { ConfigVetCommand } from "./config/vet.ts";
import { ControllerInstallCommand } from "./controller/install.ts";
import { ControllerRunCommand } from "./controller/run.ts";
import { DevClusterCommand } from "./dev/cluster.ts";
import { ModApplyCommand } from "./mod/apply.ts";
import { ModDeleteCommand } from "./mod/delete.ts";
import { ModDiffCommand } from "./mod/diff.ts";
import { ModEventsCommand } from "./mod/events.ts";
import { ModListCommand } from "./mod/list.ts";
import { ModStatusCommand } from "./mod/status.ts";
import { ModTreeCommand } from "./mod/tree.ts";
import { ModBuildCommand } from "./mod/build.ts";
import { ModEvalCommand } from "./mod/eval.ts";
import { ModGenTypesCommand } from "./mod/gen-types.ts";
import { ModInitCommand } from "./mod/init.ts";
import { ModVetCommand } from "./mod/vet.ts";
import { ModGetCommand } from "./mod/get.ts";
import { ModPublishCommand } from "./mod/publish.ts";
import { ModTidyCommand } from "./mod/tidy.ts";
import { ModHistoryCommand } from "./mod/history.ts";
import { ModRollbackCommand } from "./mod/rollback.ts";
import { ModGetValuesCommand } from "./mod/get-values.ts";
import { ModHandoffCommand } from "./mod/handoff.ts";
import { ModVendorCrdCommand } from "./mod/vendor-crd.ts";
import { TemplateGetCommand } from "./template/get.ts";
import { TemplateListCommand } from "./template/list.ts";
import { TemplatePublishCommand } from "./template/publish.ts";
import { TemplateShowCommand } from "./template/show.ts";
import { TemplateValidateCommand } from "./template/validate.ts";
import { ModUpdateCommand } from "./mod/update.ts";
import { RegistryLoginCommand } from "./registry/login.ts";
import { RegistryLogoutCommand } from "./registry/logout.ts";
import { VersionCommand } from "./version.ts";

// prettier-ignore
export const commands: CommandClass<OpmContext>[] = [
  ModInitCommand,
  ModBuildCommand,
  ModVetCommand,
  ModEvalCommand,
  ModGenTypesCommand,
  ModVendorCrdCommand,
  ModApplyCommand,
  ModDiffCommand,
  ModStatusCommand,
  ModListCommand,
  ModTreeCommand,
  ModEventsCommand,
  ModDeleteCommand,
  ModHistoryCommand,
  ModRollbackCommand,
  ModGetValuesCommand,
  ModHandoffCommand,
  ModPublishCommand,
  ModGetCommand,
  ModUpdateCommand,
  ModTidyCommand,
  TemplateListCommand,
  TemplateGetCommand,
  TemplateShowCommand,
  TemplateValidateCommand,
  TemplatePublishCommand,
  RegistryLoginCommand,
  RegistryLogoutCommand,
  DevClusterCommand,
  ControllerRunCommand,
  ControllerInstallCommand,
  ConfigInitCommand,
  ConfigVetCommand,
  ConfigUpdateCommand,
  VersionCommand,
  CompletionCommand,
  CompleteCommand,
];
