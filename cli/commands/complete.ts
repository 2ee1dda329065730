import { Option } from "clipanion";
import { commandInfos } from "../docs/definitions.ts";
import { planCompletion, type CompletionPlan } from "../completion/plan.ts";
import { lookUp, targetOf } from "../completion/sources.ts";
import { OpmCommand } from "./base.ts";

/** The longest a Tab press waits for anything; past it, completion offers nothing. */
const COMPLETION_BOUND_MS = 3_000;

/**
 * `opm __complete <words...> <current>`: the candidates for the word under the cursor, one per
 * line, then a directive line: `:files` when the shell should offer paths too, `:nofiles` when it
 * must not. Hidden (no usage): the scripts from `opm completion` call it.
 */
export class CompleteCommand extends OpmCommand {
  static override paths = [["__complete"]];

  words = Option.Proxy();

  async run(): Promise<number> {
    const { buildCli } = await import("../main.ts");
    const before = this.words.slice(0, -1);
    const current = this.words.at(-1) ?? "";
    const plan = planCompletion(commandInfos(await buildCli()), before, current);
    const { words, files } = await this.resolve(plan, before);
    const matching = words.filter((w) => w.startsWith(current));
    this.context.stdout.write([...matching, files ? ":files" : ":nofiles"].join("\n") + "\n");
    return 0;
  }

  private async resolve(
    plan: CompletionPlan,
    before: readonly string[],
  ): Promise<{ words: readonly string[]; files: boolean }> {
    if (plan.kind === "words") return plan;
    if (plan.kind === "files") return { words: [], files: true };
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<string[]>((resolve) => {
      timer = setTimeout(() => resolve([]), COMPLETION_BOUND_MS);
    });
    try {
      const found = lookUp(plan.source, targetOf(before), this.context.env, this.context.cwd).catch(() => []);
      return { words: await Promise.race([found, bound]), files: false };
    } finally {
      clearTimeout(timer);
    }
  }
}
