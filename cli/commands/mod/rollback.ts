import { Command, Option } from "clipanion";
import { connect } from "./cluster-common.ts";
import { ModApplyCommand } from "./apply.ts";

export class ModRollbackCommand extends ModApplyCommand {
  static override paths = [["mod", "rollback"]];
  static override usage = Command.Usage({
    category: "Module commands",
    description: "return a release to an earlier change of its history",
    details: `
      Re-renders the module version an earlier change applied (revision \`--to N\` of
      \`opm mod history\`, default the one before the current), with that change's values, and
      applies it like \`opm mod apply\` (atomic, pruning, waiting). Only changes applied from a
      published version (\`<module path>@<version>\`) can be returned to: a module built from a
      local directory may have changed since, so it is refused with the reason.
    `,
    examples: [
      ["Undo the last change", "$0 mod rollback --release-name blog -n web"],
      ["Return to revision 1", "$0 mod rollback --release-name blog -n web --to 1"],
    ],
  });

  to = Option.String("--to", { description: "the revision to return to (default: the previous one)" });

  override async run(): Promise<number> {
    const namespace = (await this.target().namespace()).value;
    const client = await connect(this.target(), this.requestTimeout);
    const { rollbackTarget } = await import("../../distribution/history.ts");
    let target: Awaited<ReturnType<typeof rollbackTarget>>;
    try {
      target = await rollbackTarget(client, { namespace, name: this.releaseName, to: this.to });
    } finally {
      client.close();
    }
    try {
      this.note(
        `rolling back release ${target.release} to revision ${target.revision} (${target.module}@${target.version})`,
      );
      return await this.applyRequest({
        ...this.renderRequest(),
        path: `${target.module}@${target.version}`,
        values: [target.valuesFile],
        set: [],
        target: this.target().inNamespace(namespace),
        releaseName: target.release,
      });
    } finally {
      await target.cleanup();
    }
  }
}
