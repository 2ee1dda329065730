import { Command, Option } from "clipanion";
import { resolve } from "node:path";
import { maskSecretObject } from "../../../sdk/redact.ts";
import { ProblemList } from "../../errors/problem-list.ts";
import { prepareRender } from "../../module/pipeline.ts";
import { verboseJson, verboseReport, warningLines } from "../../output/report.ts";
import { writeSplit } from "../../output/split.ts";
import { RenderCommand } from "./render-options.ts";
import { outputOption } from "../../output/data.ts";

export class ModBuildCommand extends RenderCommand {
  static override paths = [["mod", "build"]];
  static override usage = Command.Usage({
    category: "Module commands",
    description: "render a module to Kubernetes manifests",
    details: `
      Loads the module at \`path\` (default \`.\`): a directory holding \`module.opm.ts\` or one
      \`*.opm.ts\` file, or such a file. Values are the module's defaults, then each \`-f\` file in
      order, then each \`--set\`. Manifests go to stdout as YAML documents (or a JSON List with
      \`-o json\`), in apply order; with \`--split\` one file per object goes to \`--out-dir\`
      (a file holding a Secret is written readable by its owner only). The manifests hold Secret
      values as rendered; \`--redact\` masks them, and every other secret value, as \`<masked>\`.

      Errors are reported all at once with their file:line:col and exit code 2.
    `,
    examples: [
      ["Render the module in the current directory", "$0 mod build"],
      [
        "Render an example into a namespace with a values file",
        "$0 mod build examples/jellyfin -n media -f prod.yaml",
      ],
      ["Override one value", "$0 mod build ./app --set image.tag=1.2.3"],
      ["Write one file per object", "$0 mod build ./app --split --out-dir manifests"],
      ["Review the manifests without secret values", "$0 mod build ./app --redact"],
      ["Explain the match plan on stderr", "$0 mod build ./app -v > /dev/null"],
    ],
  });

  output = outputOption(["yaml", "json"], "yaml");
  split = Option.Boolean("--split", false, { description: "write one file per object to --out-dir" });
  outDir = Option.String("--out-dir", "manifests", { description: "directory for --split" });
  redact = Option.Boolean("--redact", false, {
    description: "mask Secret values (data, stringData) and every other secret value in the output",
  });
  verboseJson = Option.Boolean("--verbose-json", false, {
    description: "print the verbose report as JSON on stderr",
  });

  /** The manifests are the product: Secret data included, unless --redact. */
  protected override showsSecrets(): boolean {
    return !this.redact;
  }

  protected override explaining(): boolean {
    return this.verbose || this.verboseJson;
  }

  async run(): Promise<number> {
    const prepared = await prepareRender(this.renderRequest(), this.context.cwd, this.context.env);
    const { result } = prepared;
    if (this.verboseJson) this.context.stderr.write(verboseJson(prepared));
    else if (this.verbose) this.context.stderr.write(verboseReport(prepared, this.errStyle));
    for (const line of warningLines(result.warnings, this.errStyle)) this.note(line);
    if (result.errors.length > 0) {
      throw new ProblemList(result.errors, `render failed with ${result.errors.length} errors`);
    }
    const resources = this.redact
      ? result.resources.map((r) => ({ ...r, object: maskSecretObject(r.object) }))
      : result.resources;
    if (this.split) {
      const dir = resolve(this.context.cwd, this.outDir);
      const files = await writeSplit(resources, dir, this.redact ? this.secrets : undefined);
      this.note(`wrote ${files.length} resources to ${this.outDir}`);
      return 0;
    }
    const { formatManifests } = await import("../../../sdk/index.ts");
    this.context.stdout.write(formatManifests(resources, this.output === "json" ? "json" : "yaml"));
    return 0;
  }
}
