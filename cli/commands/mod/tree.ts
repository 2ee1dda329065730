import { Command, Option } from "clipanion";
import * as t from "typanion";
import type { ReleaseTree, TreeNode } from "../../../providers/kubernetes/cluster/index.ts";
import type { Style } from "../../output/style.ts";
import { connect } from "./cluster-common.ts";
import { ReleaseCommand } from "./release-command.ts";
import { formatData, isDataFormat, outputOption } from "../../output/data.ts";

export function formatTree(releaseTree: ReleaseTree, style: Style): string {
  const lines = [
    `${style.bold(releaseTree.release.name)} ${style.dim(`(${releaseTree.release.namespace})`)}`,
  ];
  const walk = (nodes: readonly TreeNode[], prefix: string) => {
    nodes.forEach((n, i) => {
      const last = i === nodes.length - 1;
      const health = n.health.ready ? style.ok(n.health.status) : style.warning(n.health.status);
      lines.push(`${prefix}${last ? "└── " : "├── "}${n.id.kind}/${n.id.name} ${health}`);
      walk(n.children, `${prefix}${last ? "    " : "│   "}`);
    });
  };
  releaseTree.components.forEach((c, i) => {
    const last = i === releaseTree.components.length - 1;
    lines.push(`${last ? "└── " : "├── "}${style.accent(c.name)}`);
    walk(c.objects, last ? "    " : "│   ");
  });
  return `${lines.join("\n")}\n`;
}

export class ModTreeCommand extends ReleaseCommand {
  static override paths = [["mod", "tree"]];
  static override usage = Command.Usage({
    category: "Module commands",
    description: "show a release as components, their objects and what Kubernetes made of them",
    details:
      "Depth 0 lists objects only, 1 adds owned children (ReplicaSets, Pods of StatefulSets), 2 grandchildren (Pods of ReplicaSets). Exit code 5 when the release does not exist.",
    examples: [["Tree of a release", "$0 mod tree --release-name blog -n blog"]],
  });

  depth = Option.String("--depth", "2", {
    description: "0, 1 or 2",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(0, 2)]),
  });
  output = outputOption(["table", "json", "yaml"], "table");

  async run(): Promise<number> {
    const selector = await this.selector();
    const client = await connect(this.target(), this.requestTimeout);
    try {
      const { tree } = await import("../../../providers/kubernetes/cluster/index.ts");
      const result = await tree(selector, { client, depth: this.depth });
      if (isDataFormat(this.output)) this.context.stdout.write(await formatData(this.output, result));
      else this.context.stdout.write(formatTree(result, this.outStyle));
      return 0;
    } finally {
      client.close();
    }
  }
}
