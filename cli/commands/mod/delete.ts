import { Command, Option } from "clipanion";
import { connect, lockHolder, lockTimeoutMs, lockTimeoutOption, parseDuration } from "./cluster-common.ts";
import { objectLabel, ProgressView } from "./progress-view.ts";
import { ReleaseCommand } from "./release-command.ts";

async function confirm(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  question: string,
): Promise<boolean> {
  output.write(question);
  const answer = await new Promise<string>((resolve) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("\n")) {
        input.off("data", onData);
        resolve(text);
      }
    };
    input.on("data", onData);
    input.once("end", () => resolve(text));
  });
  return /^\s*y(es)?\s*$/i.test(answer);
}

export class ModDeleteCommand extends ReleaseCommand {
  static override paths = [["mod", "delete"]];
  static override usage = Command.Usage({
    category: "Module commands",
    description: "delete a release: exactly the objects its inventory lists, then the inventory",
    details: `
      Deletes in reverse apply order (the last stage first, within a stage the heaviest weight
      first) and waits until each group is gone before the next (--no-wait to return at once). Objects that no longer carry the release's label and
      Namespaces are left alone. On a terminal the command asks first unless -y is given.
    `,
    examples: [
      ["Delete a release by name", "$0 mod delete --release-name blog -n blog -y"],
      ["Show what would be deleted", "$0 mod delete --release-name blog -n blog --dry-run"],
    ],
  });

  dryRun = Option.Boolean("--dry-run", false, { description: "list what would be deleted, delete nothing" });
  yes = Option.Boolean("-y,--yes", false, { description: "do not ask for confirmation" });
  wait = Option.Boolean("--wait", true, {
    description: "wait until the objects are gone (--no-wait to skip)",
  });
  timeout = Option.String("--timeout", "5m", { description: "how long --wait waits" });
  ignoreNotFound = Option.Boolean("--ignore-not-found", false, {
    description: "succeed when the release does not exist",
  });
  lockTimeout = lockTimeoutOption();

  async run(): Promise<number> {
    const timeoutMs = parseDuration(this.timeout);
    const selector = await this.selector();
    const client = await connect(this.target(), this.requestTimeout);
    const { remove, findInventory, checkManager } =
      await import("../../../providers/kubernetes/cluster/index.ts");
    try {
      // A release the controller manages is deleted by deleting its ModuleRelease, or handed back first.
      if (!this.dryRun) checkManager(await findInventory(client, selector), { kind: "cli" });
      const interactive = Boolean((this.context.stdin as { isTTY?: boolean }).isTTY);
      if (!this.yes && !this.dryRun && interactive) {
        const found = await findInventory(client, selector);
        if (found !== undefined) {
          const ok = await confirm(
            this.context.stdin,
            this.context.stderr,
            `Delete release "${found.release.name}" in namespace "${found.release.namespace}"? [y/N]: `,
          );
          if (!ok) {
            this.note("deletion canceled");
            return 0;
          }
        }
      }
      const view = new ProgressView(
        this.context.stderr,
        this.errStyle,
        Boolean((this.context.stderr as { isTTY?: boolean }).isTTY),
      );
      const result = await remove(selector, {
        client,
        dryRun: this.dryRun,
        wait: this.wait,
        timeoutMs,
        ignoreNotFound: this.ignoreNotFound,
        holder: lockHolder(this.context.env),
        lockTimeoutMs: lockTimeoutMs(this.lockTimeout),
        ...(this.dryRun ? {} : { onEvent: view.onEvent }),
      });
      view.finish();
      if (!result.found) {
        this.note("release not found; nothing to delete");
        return 0;
      }
      if (this.dryRun) {
        for (const id of result.deleted)
          this.context.stdout.write(`${objectLabel(id).padEnd(48)} would be deleted\n`);
        this.context.stdout.write(`dry run: ${result.deleted.length} objects would be deleted\n`);
      } else {
        this.context.stdout.write(
          `release deleted: ${result.deleted.length} objects${result.kept.length > 0 ? `, ${result.kept.length} kept` : ""}\n`,
        );
      }
      return 0;
    } finally {
      client.close();
    }
  }
}
