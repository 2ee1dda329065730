import { Command, Option } from "clipanion";
import { stageOf } from "../../../sdk/error-codes.ts";
import { maskValues } from "../../../sdk/redact.ts";
import { ProblemList } from "../../errors/problem-list.ts";
import { prepareRender } from "../../module/pipeline.ts";
import { RenderCommand } from "./render-options.ts";
import { formatData, isDataFormat, outputOption } from "../../output/data.ts";

export class ModEvalCommand extends RenderCommand {
  static override paths = [["mod", "eval"]];
  static override usage = Command.Usage({
    category: "Module commands",
    description: "print the evaluated module: release metadata, values and components",
    details: `
      Evaluates the module with its values applied (defaults, \`-f\` files, \`--set\`) and prints
      the result: the release metadata, the module metadata, the validated values and every
      component with its resources, traits and concrete spec. \`-o cue\` formats it as CUE with
      the CUE engine. Secret values (\`#Secret\` values, fields named like passwords, tokens or
      keys, and every place they reach) are printed as \`<masked>\` unless \`--show-secrets\`.
    `,
    examples: [
      ["Show the evaluated module as YAML", "$0 mod eval ./app"],
      ["See what a values file changes", "$0 mod eval ./app -f prod.yaml -o json"],
      ["Print it as CUE", "$0 mod eval ./app -o cue"],
      ["Include secret values", "$0 mod eval ./app --show-secrets"],
    ],
  });

  output = outputOption(["yaml", "json", "cue"], "yaml");

  showSecrets = Option.Boolean("--show-secrets", false, {
    description: "print secret values (#Secret values, sensitive fields, Secret data) instead of <masked>",
  });

  protected override showsSecrets(): boolean {
    return this.showSecrets;
  }

  async run(): Promise<number> {
    const { module, result, components } = await prepareRender(
      { ...this.renderRequest(), evaluateComponents: true },
      this.context.cwd,
      this.context.env,
    );
    // Values and identity problems leave nothing to evaluate; match and transform problems do not.
    const blocking = result.errors.filter((e) => {
      const stage = stageOf(e);
      return stage === "values" || stage === "identity";
    });
    if (result.release === undefined || components === undefined || blocking.length > 0) {
      throw new ProblemList(result.errors, `evaluation failed with ${result.errors.length} errors`);
    }
    const evaluated = {
      kind: "ModuleRelease",
      metadata: result.release,
      module: module.metadata,
      values: this.showSecrets ? result.values : maskValues(result.values),
      components: Object.fromEntries(
        Object.entries(components).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      ),
    };
    if (isDataFormat(this.output)) {
      this.context.stdout.write(await formatData(this.output, evaluated));
    } else {
      const { startCueEngine } = await import("../../cue-engine.ts");
      const engine = await startCueEngine(this.engineSettings());
      try {
        this.context.stdout.write(await engine.fromJSON(JSON.stringify(evaluated)));
      } finally {
        await engine.close();
      }
    }
    return 0;
  }
}
