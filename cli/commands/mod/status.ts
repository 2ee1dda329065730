import { Command, Option } from "clipanion";
import type { ReleaseStatus } from "../../../providers/kubernetes/cluster/index.ts";
import type { Style } from "../../output/style.ts";
import { age, connect, table } from "./cluster-common.ts";
import { ReleaseCommand } from "./release-command.ts";
import { formatData, isDataFormat, outputOption } from "../../output/data.ts";

function pendingNote(status: ReleaseStatus, style: Style): string {
  if (status.lock !== undefined)
    return style.warning(` - being changed by ${status.lock.holder} since ${status.lock.since}`);
  return status.pending ? style.warning(" - an interrupted apply is pending; run apply again") : "";
}

export function statusTable(status: ReleaseStatus, wide: boolean, style: Style): string {
  const color = (s: string, ready: boolean) => (ready ? style.ok(s) : style.warning(s));
  const header = wide
    ? ["KIND", "NAME", "COMPONENT", "STATUS", "AGE", "REPLICAS", "IMAGE", "MESSAGE"]
    : ["KIND", "NAME", "COMPONENT", "STATUS", "AGE"];
  const rows = status.objects.map((o) => {
    const base = [
      o.id.kind,
      o.id.name,
      o.component,
      color(o.health.status, o.health.ready),
      age(o.createdAt),
    ];
    return wide ? [...base, o.replicas ?? "", (o.images ?? []).join(","), o.health.message ?? ""] : base;
  });
  const head = `Release:    ${status.release.name} (${status.release.namespace})\nRelease ID: ${status.release.identity}\nModule:     ${status.module.fqn}@${status.module.version}\nStatus:     ${color(status.aggregate, status.aggregate === "Ready")} (${status.ready}/${status.total} ready)${pendingNote(status, style)}\n\n`;
  return head + table(header, rows);
}

export class ModStatusCommand extends ReleaseCommand {
  static override paths = [["mod", "status"]];
  static override usage = Command.Usage({
    category: "Module commands",
    description: "show the health of a release's objects",
    details: `
      Reads the release's inventory and checks each object: workloads by their rollout, Jobs by
      completion, PVCs by binding, custom resources by their Ready condition.

      Exit code: 0 every object ready, 2 not ready, 5 release not found, 1 other errors.
    `,
    examples: [
      ["Status of a release by name", "$0 mod status --release-name blog -n blog"],
      ["Status of the module in the current directory, with replicas and images", "$0 mod status -o wide"],
      ["Watch it", "$0 mod status --release-name blog -n blog --watch"],
    ],
  });

  output = outputOption(["table", "wide", "yaml", "json"], "table");
  watch = Option.Boolean("-w,--watch", false, { description: "redraw every 2 seconds until interrupted" });
  ignoreNotFound = Option.Boolean("--ignore-not-found", false, {
    description: "exit 0 when the release does not exist",
  });

  async run(): Promise<number> {
    const selector = await this.selector();
    const client = await connect(this.target(), this.requestTimeout);
    const { status, findInventory, isTransient } =
      await import("../../../providers/kubernetes/cluster/index.ts");
    try {
      if (this.ignoreNotFound && (await findInventory(client, selector)) === undefined) return 0;
      for (;;) {
        let result;
        try {
          result = await status(selector, { client });
        } catch (error) {
          // A watch outlives a lost connection: say so and poll again.
          if (!this.watch || !isTransient(error)) throw error;
          this.note(`${(error as Error).message}; retrying`);
          await new Promise((r) => setTimeout(r, 2000));
          continue;
        }
        let text: string;
        if (isDataFormat(this.output)) text = await formatData(this.output, result);
        else text = statusTable(result, this.output === "wide", this.outStyle);
        if (!this.watch) {
          this.context.stdout.write(text);
          return result.aggregate === "Ready" ? 0 : 2;
        }
        this.context.stdout.write(`\u001b[2J\u001b[H${text}`);
        await new Promise((r) => setTimeout(r, 2000));
      }
    } finally {
      client.close();
    }
  }
}
