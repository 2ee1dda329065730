import { Command, Option } from "clipanion";
import { formatData, outputOption, type DataFormat } from "../../output/data.ts";
import { connect } from "./cluster-common.ts";
import { ReleaseCommand } from "./release-command.ts";

export class ModGetValuesCommand extends ReleaseCommand {
  static override paths = [["mod", "get-values"]];
  static override usage = Command.Usage({
    category: "Module commands",
    description: "print the values a release was applied with, secrets masked",
    details: `
      Prints the resolved values of the release's current change (or revision \`--revision N\` of
      \`opm mod history\`). Secret values (\`#Secret\` values and fields named like passwords,
      tokens or keys) are printed as \`<masked>\`.
    `,
    examples: [
      ["Values of a release", "$0 mod get-values --release-name blog -n web"],
      ["Values of revision 2, as JSON", "$0 mod get-values --release-name blog -n web --revision 2 -o json"],
    ],
  });

  revision = Option.String("--revision", { description: "a revision number from `opm mod history`" });
  output = outputOption(["yaml", "json"], "yaml");

  async run(): Promise<number> {
    const selector = await this.selector();
    const client = await connect(this.target(), this.requestTimeout);
    try {
      const { requireInventory } = await import("../../../providers/kubernetes/cluster/index.ts");
      const { historyOf, maskValues, pickRevision, readValues } =
        await import("../../distribution/history.ts");
      const inventory = await requireInventory(client, selector);
      const row = pickRevision(historyOf(inventory), this.revision, "current");
      const values = maskValues(await readValues(client, inventory.release.namespace, row.change.source));
      this.context.stdout.write(await formatData(this.output as DataFormat, values));
      return 0;
    } finally {
      client.close();
    }
  }
}
