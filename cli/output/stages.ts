// The stage plan in words (docs/staged-apply.md): one line per object, grouped by stage, with
// what it waits for. `opm mod vet` prints it when objects wait for others; `-v` on build, vet
// and apply prints it in the verbose report.
import type { StagePlan, StageReason } from "../../sdk/index.ts";
import { objectLabel } from "../commands/mod/progress-view.ts";
import type { Style } from "./style.ts";

function reasonText(reason: StageReason): string {
  switch (reason.reason) {
    case "references":
      return `${objectLabel(reason.ref)} (referenced)`;
    case "definition":
      return `${objectLabel(reason.ref)} (its CRD)`;
    case "namespace":
      return `${objectLabel(reason.ref)} (its namespace)`;
    case "dependsOn":
      return `component ${reason.component} (dependsOn)`;
    case "interface":
      return `component ${reason.component} (interface)`;
  }
}

/** `stage 2/3  r:Deployment/shop/web  after r:ConfigMap/shop/web-config (referenced)` lines. */
export function stageLines(plan: StagePlan, style: Style): string[] {
  const total = plan.stages.length;
  return plan.stages.flatMap((stage) =>
    stage.objects.map((o) => {
      const label = `stage ${stage.index + 1}/${total}  ${objectLabel(o.ref)}`;
      if (o.after.length === 0) return label;
      return `${label.padEnd(56)} ${style.dim(`after ${o.after.map(reasonText).join(", ")}`)}`;
    }),
  );
}
