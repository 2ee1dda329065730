import { Command, Option } from "clipanion";
import { KubeCommand } from "../base.ts";
import { age, connect, requestTimeoutOption, table } from "./cluster-common.ts";
import { formatData, isDataFormat, outputOption } from "../../output/data.ts";

export class ModListCommand extends KubeCommand {
  static override paths = [["mod", "list"]];
  static override usage = Command.Usage({
    category: "Module commands",
    description: "list the releases on a cluster, with their health",
    details: "Reads the release inventories in the namespace (or all namespaces with -A).",
    examples: [
      ["Releases in the current namespace", "$0 mod list"],
      ["Releases everywhere, with module and last apply", "$0 mod list -A -o wide"],
    ],
  });

  allNamespaces = Option.Boolean("-A,--all-namespaces", false, {
    description: "list releases in every namespace",
  });
  output = outputOption(["table", "wide", "yaml", "json"], "table");
  requestTimeout = requestTimeoutOption();

  async run(): Promise<number> {
    const namespace = this.allNamespaces ? undefined : (await this.target().namespace()).value;
    const client = await connect(this.target(), this.requestTimeout);
    try {
      const { listReleases } = await import("../../../providers/kubernetes/cluster/index.ts");
      const releases = await listReleases({ client, namespace });
      const rows = releases.map((r) => ({
        name: r.release.name,
        namespace: r.release.namespace,
        module: r.module.fqn,
        version: r.module.version,
        status: r.aggregate,
        ready: `${r.ready}/${r.total}`,
        identity: r.release.identity,
        lastApplied: r.lastApplied,
      }));
      if (isDataFormat(this.output)) this.context.stdout.write(await formatData(this.output, rows));
      else if (rows.length === 0)
        this.context.stderr.write(
          `No releases found${namespace === undefined ? "" : ` in namespace ${namespace}`}.\n`,
        );
      else {
        const wide = this.output === "wide";
        const header = [
          "NAMESPACE",
          "NAME",
          "VERSION",
          "STATUS",
          "READY",
          "AGE",
          ...(wide ? ["MODULE", "RELEASE ID"] : []),
        ];
        const body = rows.map((r) => [
          r.namespace,
          r.name,
          r.version,
          r.status,
          r.ready,
          age(r.lastApplied),
          ...(wide ? [r.module, r.identity] : []),
        ]);
        this.context.stdout.write(table(header, body));
      }
      return 0;
    } finally {
      client.close();
    }
  }
}
