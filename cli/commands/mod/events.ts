import { Command, Option } from "clipanion";
import * as t from "typanion";
import type { ReleaseEvent } from "../../../providers/kubernetes/cluster/index.ts";
import { age, connect, parseDuration, table } from "./cluster-common.ts";
import { ReleaseCommand } from "./release-command.ts";
import { formatData, isDataFormat, outputOption } from "../../output/data.ts";

const key = (e: ReleaseEvent) =>
  `${e.lastSeen}|${e.object.kind}/${e.object.name}|${e.reason}|${e.message}|${e.count}`;

export class ModEventsCommand extends ReleaseCommand {
  static override paths = [["mod", "events"]];
  static override usage = Command.Usage({
    category: "Module commands",
    description: "show Kubernetes events of a release's objects and their children",
    examples: [
      ["Events of the last hour", "$0 mod events --release-name blog -n blog"],
      [
        "Warnings of the last 10 minutes, following new ones",
        "$0 mod events --release-name blog --since 10m --type Warning --watch",
      ],
    ],
  });

  since = Option.String("--since", "1h", { description: "only events newer than this, e.g. 10m, 2h" });
  type = Option.String("--type", {
    description: "Normal or Warning",
    validator: t.isEnum(["Normal", "Warning"]),
  });
  watch = Option.Boolean("-w,--watch", false, { description: "keep printing new events until interrupted" });
  output = outputOption(["table", "json", "yaml"], "table");

  async run(): Promise<number> {
    const since = new Date(Date.now() - parseDuration(this.since));
    const selector = await this.selector();
    const client = await connect(this.target(), this.requestTimeout);
    try {
      const { releaseEvents, isTransient } = await import("../../../providers/kubernetes/cluster/index.ts");
      const options = {
        client,
        since,
        ...(this.type === undefined ? {} : { type: this.type as "Normal" | "Warning" }),
      };
      const seen = new Set<string>();
      let first = true;
      for (;;) {
        let found;
        try {
          found = await releaseEvents(selector, options);
        } catch (error) {
          // A watch outlives a lost connection: say so and poll again.
          if (!this.watch || !isTransient(error)) throw error;
          this.note(`${(error as Error).message}; retrying`);
          await new Promise((r) => setTimeout(r, 2000));
          continue;
        }
        const events = found.filter((e) => !seen.has(key(e)));
        events.forEach((e) => seen.add(key(e)));
        if (isDataFormat(this.output)) this.context.stdout.write(await formatData(this.output, events));
        else if (events.length > 0 || first) {
          const rows = events.map((e) => [
            age(e.lastSeen),
            e.type,
            `${e.object.kind}/${e.object.name}`,
            e.reason,
            e.message,
          ]);
          const text = table(["LAST SEEN", "TYPE", "RESOURCE", "REASON", "MESSAGE"], rows);
          this.context.stdout.write(first ? text : text.split("\n").slice(1).join("\n"));
        }
        first = false;
        if (!this.watch) return 0;
        await new Promise((r) => setTimeout(r, 2000));
      }
    } finally {
      client.close();
    }
  }
}
