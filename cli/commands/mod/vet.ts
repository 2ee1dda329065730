import { Command } from "clipanion";
import { relative } from "node:path";
import { stageOf, type RenderStage } from "../../../sdk/error-codes.ts";
import type { RenderedObject } from "../../../sdk/index.ts";
import { ProblemList } from "../../errors/problem-list.ts";
import { OpmError } from "../../../sdk/errors.ts";
import { prepareRender, type PreparedRender } from "../../module/pipeline.ts";
import { formatData, isDataFormat, outputOption } from "../../output/data.ts";
import { interfaceLines, policyLines, verboseReport, warningLines } from "../../output/report.ts";
import { stageLines } from "../../output/stages.ts";
import { RenderCommand } from "./render-options.ts";

/** The render stages a vet reports on, in order; a problem belongs to its code's stage. */
const PHASES: readonly { readonly title: string; readonly stage: RenderStage }[] = [
  { title: "Values satisfy #config", stage: "values" },
  { title: "Release names and labels are valid", stage: "identity" },
  { title: "Every required interface is provided", stage: "wiring" },
  { title: "Every component matches a transformer", stage: "match" },
  { title: "Transformers produce valid, distinct objects", stage: "transform" },
  { title: "Policies allow the release", stage: "policy" },
  { title: "Dependencies between objects have no cycle", stage: "order" },
];

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function objectProblem(item: RenderedObject): string | undefined {
  const name = item.object.metadata?.name;
  if (typeof item.object.apiVersion !== "string" || item.object.apiVersion === "") return "no apiVersion";
  if (typeof item.object.kind !== "string" || item.object.kind === "") return "no kind";
  if (typeof name !== "string" || name === "") return "no metadata.name";
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name))
    return `metadata.name ${JSON.stringify(name)} is not a DNS subdomain`;
  return undefined;
}

export class ModVetCommand extends RenderCommand {
  static override paths = [["mod", "vet"]];
  static override usage = Command.Usage({
    category: "Module commands",
    description: "check a module: load, values, match and render, without output",
    details: `
      Runs the whole render pipeline of \`opm mod build\` and prints one check line per phase and
      per rendered object on stdout, then the interfaces the release provides and how each one it
      requires is wired, then the stage plan when objects wait for others (a workload for its
      ConfigMap, a custom resource for its CRD, a component for the components in its
      \`dependsOn\` or whose interfaces it requires), then each policy rule (the module's and the
      platform's from the config file) with its violations. With --kubeconfig or --context,
      interfaces no component of the module provides are looked up among the other releases in
      the namespace. Every problem is reported at once on stderr with its
      file:line:col; the exit code is 2 when any check fails, a blocking policy rule included.
      Warn-mode violations are warnings; audit-mode ones only show in the results (and \`-o json\`/\`-o yaml\`).
    `,
    examples: [
      ["Check the module in the current directory", "$0 mod vet"],
      ["Check an example with production values", "$0 mod vet examples/jellyfin -f prod.yaml"],
      ["Fail on unhandled traits too", "$0 mod vet ./app --strict"],
      ["Wire required interfaces to releases on a cluster", "$0 mod vet ./app --context kind-dev -n shop"],
      ["The checks, policy results and problems as JSON", "$0 mod vet ./app -o json"],
    ],
  });

  output = outputOption(["text", "json", "yaml"], "text");

  async run(): Promise<number> {
    const format = this.output;
    const json = isDataFormat(format);
    const ok = this.outStyle.ok("✔");
    const bad = this.outStyle.error("✘");
    let prepared: PreparedRender;
    try {
      prepared = await prepareRender(this.renderRequest(), this.context.cwd, this.context.env);
    } catch (error) {
      if (!json) this.context.stdout.write(`${bad} Module loads\n`);
      throw error;
    }
    const { module, result } = prepared;
    if (this.verbose) this.context.stderr.write(verboseReport(prepared, this.errStyle));
    for (const line of warningLines(result.warnings, this.errStyle)) this.note(line);
    const where = relative(
      this.context.cwd,
      prepared.location.language === "ts" ? prepared.location.file : prepared.location.dir,
    );
    const lines = [`${ok} Module loads: ${module.metadata.fqn} ${module.metadata.version} (${where})`];
    const checks: { check: string; status: "ok" | "failed" | "skipped" }[] = [];

    const remaining: OpmError[] = [...result.errors];
    let failedEarlier = false;
    for (const phase of PHASES) {
      // A code without a stage (none of the render's own) counts with the transformers.
      const mine = remaining.filter((e) => (stageOf(e) ?? "transform") === phase.stage);
      for (const e of mine) remaining.splice(remaining.indexOf(e), 1);
      // Later phases never ran when an earlier one failed; say so instead of claiming success.
      const status = mine.length > 0 ? "failed" : failedEarlier ? "skipped" : "ok";
      const mark = status === "failed" ? bad : status === "skipped" ? this.outStyle.dim("-") : ok;
      lines.push(`${mark} ${phase.title}`);
      checks.push({ check: phase.title, status });
      failedEarlier ||= mine.length > 0;
    }
    const objectErrors: OpmError[] = [];
    const objects: { ref: string; problem: string | null }[] = [];
    for (const item of result.resources) {
      const ref = `r:${item.object.kind}/${item.object.metadata?.namespace === undefined ? "" : `${String(item.object.metadata.namespace)}/`}${String(item.object.metadata?.name ?? "")}`;
      const problem = objectProblem(item);
      lines.push(`${problem === undefined ? ok : bad} ${ref.padEnd(48)} ${problem ?? "valid"}`);
      objects.push({ ref, problem: problem ?? null });
      if (problem !== undefined) {
        objectErrors.push(
          new OpmError("InvalidObject", {
            message: `${ref}: ${problem}`,
            hint: `fix transformer ${item.transformer} (component ${item.component})`,
          }),
        );
      }
    }
    // The stage plan, when anything waits for anything (docs/staged-apply.md).
    if (result.stages.stages.length > 1) lines.push(...stageLines(result.stages, this.outStyle));
    const problems = [...result.errors, ...objectErrors];
    if (isDataFormat(format)) {
      const report = {
        module: { fqn: module.metadata.fqn, version: module.metadata.version, file: where },
        release: result.release ?? null,
        checks,
        objects,
        wiring: result.wiring,
        stages: result.stages,
        policies: result.policies,
        warnings: result.warnings,
        errors: problems.map((e) => e.toJSON()),
      };
      this.context.stdout.write(await formatData(format, report));
    } else {
      this.context.stdout.write(`${lines.join("\n")}\n`);
      const interfaces = interfaceLines(result.wiring, this.outStyle);
      if (interfaces.length > 0) this.context.stdout.write(`${interfaces.join("\n")}\n`);
      const policies = policyLines(result.policies, this.outStyle);
      if (policies.length > 0) this.context.stdout.write(`${policies.join("\n")}\n`);
    }
    if (problems.length > 0) throw new ProblemList(problems, `vet found ${problems.length} problems`);
    return 0;
  }
}
