import { Command } from "clipanion";
import type {
  ClusterClient,
  DiffResult,
  FieldChange,
  ObjectDiff,
} from "../../../providers/kubernetes/cluster/index.ts";
import { warningLines } from "../../output/report.ts";
import type { Style } from "../../output/style.ts";
import { connect, requestTimeoutOption, releaseInputOf } from "./cluster-common.ts";
import { renderForRelease } from "./recorded-naming.ts";
import { RenderCommand } from "./render-options.ts";
import { formatData, isDataFormat, outputOption } from "../../output/data.ts";

function where(o: ObjectDiff): string {
  return `${o.id.kind}/${o.id.name}${o.id.namespace === "" ? "" : ` (${o.id.namespace})`}`;
}

function value(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

function changeLines(changes: readonly FieldChange[], style: Style): string[] {
  return changes.flatMap((c) => {
    if (c.op === "add") return [style.ok(`  + ${c.path}: ${value(c.after)}`)];
    if (c.op === "remove") return [style.error(`  - ${c.path}: ${value(c.before)}`)];
    return [`  ~ ${c.path}`, style.error(`    - ${value(c.before)}`), style.ok(`    + ${value(c.after)}`)];
  });
}

export function formatDiff(result: DiffResult, style: Style): string {
  const { added, modified, orphaned, retained } = result.summary;
  if (!result.differs && retained === 0) return "No differences found\n";
  const parts = [
    modified > 0 ? `${modified} modified` : "",
    added > 0 ? `${added} added` : "",
    orphaned > 0 ? `${orphaned} orphaned` : "",
    retained > 0 ? `${retained} retained` : "",
  ].filter(Boolean);
  const lines = [result.differs ? parts.join(", ") : `No differences found (${parts.join(", ")})`, ""];
  for (const o of result.objects) {
    if (o.state === "modified")
      lines.push(style.bold(`--- ${where(o)} [modified]`), ...changeLines(o.changes, style), "");
    if (o.state === "added") lines.push(style.bold(`+++ ${where(o)} [new resource]`), "");
    if (o.state === "orphaned")
      lines.push(style.bold(`~~~ ${where(o)} [orphaned - will be removed on next apply]`), "");
    if (o.state === "retained")
      lines.push(
        style.bold(`=== ${where(o)} [retained - no longer rendered, kept until pruned with its opt-in]`),
        "",
      );
  }
  return `${lines.join("\n")}`;
}

export class ModDiffCommand extends RenderCommand {
  static override paths = [["mod", "diff"]];
  static override usage = Command.Usage({
    category: "Module commands",
    description: "show what `opm mod apply` would change on the cluster",
    details: `
      Compares the rendered release with the live objects, field by field, on the fields the
      release manages: the server's dry run of the same server-side apply is compared with the
      live object, so defaults, status and managedFields never show as differences. Objects the
      release owned but no longer renders are listed as orphaned. Secret values are never shown.

      Exit code (as kubectl diff): 0 no differences, 1 differences, greater than 1 an error.
    `,
    examples: [
      ["Diff the module in the current directory", "$0 mod diff -n web"],
      ["Diff with a values file, as JSON", "$0 mod diff ./app -f prod.yaml -o json"],
    ],
  });

  requestTimeout = requestTimeoutOption();

  /** A release that requires interfaces may be wired to what other releases provide. */
  protected override provisionsCluster(): { readonly requestTimeout: string } {
    return { requestTimeout: this.requestTimeout };
  }
  output = outputOption(["text", "json", "yaml"], "text");

  protected override report(error: unknown): number {
    // kubectl's convention: 1 means "differs", so every error exits with more than 1.
    const code = super.report(error);
    return code <= 1 ? 2 : code;
  }

  async run(): Promise<number> {
    let connected: ClusterClient | undefined;
    const cluster = async () => (connected ??= await connect(this.target(), this.requestTimeout));
    try {
      // The naming the release was applied with, unless a flag chooses: as apply will render it.
      const { prepared } = await renderForRelease(
        this.renderRequest(),
        cluster,
        this.context.cwd,
        this.context.env,
        (line) => this.note(line),
      );
      for (const line of warningLines(prepared.result.warnings, this.errStyle)) this.note(line);
      const input = releaseInputOf(prepared.result);
      const client = await cluster();
      const { diff } = await import("../../../providers/kubernetes/cluster/index.ts");
      const result = await diff(input, { client });
      if (isDataFormat(this.output)) this.context.stdout.write(await formatData(this.output, result));
      else this.context.stdout.write(formatDiff(result, this.outStyle));
      return result.differs ? 1 : 0;
    } finally {
      connected?.close();
    }
  }
}
