// A component whose container no workload transformer renders (the workload type left out) is
// an error with the component's position, never a Service-only render with exit 0; `-v` and
// `--verbose-json` show why each transformer matched or not.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tempDir } from "../../__tests__/run.ts";

const MODULE = `import { Container, Expose } from "@opm/sdk/catalog";
import { component, defineModule } from "@opm/sdk/dsl";
import { z } from "zod";

export default defineModule({
  metadata: { apiVersion: "example.com/modules@v0", name: "shop", version: "1.0.0" },
  config: z.object({}),
  values: {},
  components: () => ({
    web: component(
      Container({ name: "web", image: "nginx:1.27", ports: { http: { targetPort: 80 } } }),
      Expose({ ports: { http: { targetPort: 80 } } }),
    ),
  }),
});
`;

function moduleWithoutWorkloadType(): { dir: string; file: string } {
  const dir = tempDir("opm-match-");
  const file = join(dir, "shop.opm.ts");
  writeFileSync(file, MODULE);
  return { dir, file };
}

describe("a container no workload transformer renders", () => {
  it("fails mod build with OPM3009 at the component, exit 2, and writes no manifests", async () => {
    const { dir, file } = moduleWithoutWorkloadType();
    const { code, out, err } = await run(["mod", "build", file]);
    expect(out).toBe("");
    const text = err.replaceAll(dir, "<dir>");
    expect(text).toContain(
      "error OPM3009: component web: resource opmodel.dev/resources/workload@v0#Container is rendered by no matched transformer",
    );
    expect(text).toContain("--> <dir>/shop.opm.ts:10:5");
    expect(text).toContain(
      "#DeploymentTransformer: Not matched: missing labels: core.opmodel.dev/workload-type\n",
    );
    expect(text).toContain(
      "hint: add what one of the transformers above is missing, e.g. the label core.opmodel.dev/workload-type " +
        "(one of daemon, scheduled-task, stateful, stateless, task) (workloadType(...) in TypeScript)",
    );
    expect(code).toBe(2);
  });

  it("marks the match phase in mod vet and shows the plan with -v", async () => {
    const { file } = moduleWithoutWorkloadType();
    const { code, out, err } = await run(["mod", "vet", file, "-v"]);
    expect(out).toContain("✘ Every component matches a transformer");
    expect(err).toContain("✔ matched opmodel.dev/providers/kubernetes/transformers@v0#ServiceTransformer");
    expect(err).toMatch(
      /✘ skipped \S+#DeploymentTransformer: Not matched: missing labels: core\.opmodel\.dev\/workload-type/,
    );
    expect(err).toContain("✘ unrendered resource opmodel.dev/resources/workload@v0#Container");
    expect(code).toBe(2);
  });

  it("puts unhandled resources and reasons in --verbose-json", async () => {
    const { file } = moduleWithoutWorkloadType();
    const { code, err } = await run(["mod", "build", file, "--verbose-json"]);
    const report = JSON.parse(err.slice(err.indexOf("{"), err.lastIndexOf("}") + 1)) as {
      matchPlan: {
        components: { unhandledResources: string[]; decisions: { rule: string; reason: string }[] }[];
      };
      errors: { code: string; locations: { line: number }[] }[];
    };
    expect(report.matchPlan.components[0]!.unhandledResources).toEqual([
      "opmodel.dev/resources/workload@v0#Container",
    ]);
    expect(
      report.matchPlan.components[0]!.decisions.every((d) => d.rule === "requirements" && d.reason !== ""),
    ).toBe(true);
    expect(report.errors.map((e) => [e.code, e.locations[0]!.line])).toEqual([["OPM3009", 10]]);
    expect(code).toBe(2);
  });
});
