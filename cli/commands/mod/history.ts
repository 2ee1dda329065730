import { Command } from "clipanion";
import { age, connect, table } from "./cluster-common.ts";
import { ReleaseCommand } from "./release-command.ts";
import { formatData, isDataFormat, outputOption } from "../../output/data.ts";

export class ModHistoryCommand extends ReleaseCommand {
  static override paths = [["mod", "history"]];
  static override usage = Command.Usage({
    category: "Module commands",
    description: "list the changes a release's history keeps",
    details: `
      Prints one row per change the release inventory keeps (\`--max-history\` on apply, default
      10), oldest first, numbered as revisions: the module and version, where it came from (a
      registry reference or a local directory), the digest of the rendered set, the number of
      objects and when it was applied. The newest is the current state. Values are not shown
      (see \`opm mod get-values\`).
    `,
    examples: [
      ["History of a release", "$0 mod history --release-name blog -n web"],
      ["As JSON", "$0 mod history --release-name blog -n web -o json"],
    ],
  });

  output = outputOption(["table", "json", "yaml"], "table");

  async run(): Promise<number> {
    const selector = await this.selector();
    const client = await connect(this.target(), this.requestTimeout);
    try {
      const { requireInventory } = await import("../../../providers/kubernetes/cluster/index.ts");
      const { historyOf } = await import("../../distribution/history.ts");
      const inventory = await requireInventory(client, selector);
      const rows = historyOf(inventory).map(({ revision, change, current }) => ({
        revision,
        current,
        changeId: change.id,
        module: change.source?.module ?? change.module.fqn,
        version: change.source?.version ?? change.module.version,
        source:
          change.source?.kind === "registry"
            ? change.source.reference
            : `local ${change.source?.module ?? "(unknown)"}`,
        digest: change.manifestDigest,
        objects: change.entries.length,
        appliedAt: change.timestamp,
        rollback: change.source?.kind === "registry" && change.source.values !== undefined,
      }));
      if (isDataFormat(this.output)) this.context.stdout.write(await formatData(this.output, rows));
      else {
        this.context.stdout.write(
          table(
            ["REVISION", "MODULE", "VERSION", "SOURCE", "OBJECTS", "AGE", "STATUS"],
            rows.map((r) => [
              String(r.revision),
              r.module,
              r.version,
              r.source ?? "",
              String(r.objects),
              age(r.appliedAt),
              r.current ? "current" : r.rollback ? "superseded" : "superseded (local: no rollback)",
            ]),
          ),
        );
      }
      return 0;
    } finally {
      client.close();
    }
  }
}
