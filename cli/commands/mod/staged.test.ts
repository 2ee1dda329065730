// The stage plan through the CLI (docs/staged-apply.md): `dependsOn` in TS and in CUE gives the
// same plan, which `mod vet` prints and `mod build` follows; a cycle is a positioned error with
// exit 2; `mod apply -v` shows the plan and the progress of each stage against the real cluster.
import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { repoRoot, run } from "../../__tests__/run.ts";

const TS = "cli/testdata/staged/staged.opm.ts";
const CUE = "cli/testdata/staged/cue";

const PLAN = `stage 1/3  r:Service/shop/db
stage 1/3  r:Deployment/shop/db
stage 2/3  r:ServiceAccount/shop/web                     after component db (dependsOn)
stage 3/3  r:Deployment/shop/web                         after r:ServiceAccount/shop/web (referenced), component db (dependsOn)
`;

describe("the stage plan", () => {
  it.each([
    ["TypeScript", TS],
    ["CUE", CUE],
  ])("is printed by mod vet for a %s module with dependsOn", async (_, module) => {
    const { code, out, err } = await run(["mod", "vet", module]);
    expect(err).toBe("");
    expect(out).toContain("✔ Dependencies between objects have no cycle\n");
    expect(out.slice(out.indexOf("stage 1/3"))).toBe(PLAN);
    expect(code).toBe(0);
  });

  it("leaves mod build's output in weight order", async () => {
    const { code, out } = await run(["mod", "build", TS]);
    expect(code).toBe(0);
    expect(
      [...out.matchAll(/^kind: (\w+)\n(?:.*\n)*?  name: (\S+)/gm)].map((m) => `${m[1]}/${m[2]}`),
    ).toEqual(["ServiceAccount/web", "Service/db", "Deployment/db", "Deployment/web"]);
  });

  it("is in the verbose report and its JSON", async () => {
    const text = await run(["mod", "build", CUE, "-v"]);
    expect(text.err).toContain(`stages (3)\n  stage 1/3  r:Service/shop/db\n`);
    const json = await run(["mod", "build", CUE, "--verbose-json"]);
    const report = JSON.parse(json.err) as {
      resources: { kind: string; stage: number }[];
      stages: { stages: { index: number; objects: { ref: { kind: string }; after: unknown[] }[] }[] };
    };
    expect(report.resources.map((r) => `${r.kind}:${r.stage}`)).toEqual([
      "ServiceAccount:1",
      "Service:0",
      "Deployment:0",
      "Deployment:2",
    ]);
    expect(report.stages.stages[2]!.objects[0]!.after).toEqual([
      {
        reason: "references",
        ref: { apiVersion: "v1", kind: "ServiceAccount", namespace: "shop", name: "web" },
      },
      { reason: "dependsOn", component: "db" },
    ]);
  });
});

describe("a dependency cycle", () => {
  it.each([
    ["TypeScript", "cli/testdata/staged/cycle.opm.ts", ["cycle.opm.ts:12:9", "cycle.opm.ts:17:9"]],
    ["CUE", "cli/testdata/staged/cycle-cue", ["cycle-cue/cycle.cue:25:4", "cycle-cue/cycle.cue:33:4"]],
  ])("in %s fails vet and build with OPM3020 at both dependsOn, exit 2", async (_, module, at) => {
    const vet = await run(["mod", "vet", module]);
    expect(vet.out).toContain("✘ Dependencies between objects have no cycle\n");
    expect(vet.code).toBe(2);
    const build = await run(["mod", "build", module]);
    expect(build.out).toBe("");
    expect(build.err.replaceAll(`${repoRoot}cli/testdata/staged/`, "")).toContain(
      "error OPM3020: the components depend on each other in a cycle:\n" +
        "  component api dependsOn web\n" +
        "  component web dependsOn api\n" +
        `  --> ${at[0]}\n` +
        `  --> ${at[1]}\n` +
        "  hint: remove one of these dependsOn entries (or the reference that closes the cycle)\n",
    );
    expect(build.err).not.toContain("    at ");
    expect(build.code).toBe(2);
  });
});

describe("opm mod apply with stages", () => {
  it("shows the plan with -v, a progress line per stage, the stages in -o json, and deletes in reverse", async () => {
    const ns = `cli-staged-${randomBytes(3).toString("hex")}`;
    const env = { KUBECONFIG: inject("kubeconfig") };
    const applied = await run(
      ["mod", "apply", TS, "-n", ns, "--create-namespace", "--timeout", "60s", "-v", "-o", "json"],
      { env },
    );
    expect(applied.code).toBe(0);
    expect(applied.err).toContain(`stages (3)\n  stage 1/3  r:Service/${ns}/db\n`);
    const progress = applied.err.split("\n").filter((l) => /^stage \d\/3: /.test(l));
    expect(progress).toEqual([
      "stage 1/3: applying 2 object(s)",
      "stage 2/3: waiting for 2 object(s) it needs to be ready",
      "stage 2/3: applying 1 object(s)",
      "stage 3/3: waiting for 3 object(s) it needs to be ready",
      "stage 3/3: applying 1 object(s)",
    ]);
    // The ServiceAccount is written only after db's Deployment reported Ready.
    const dbReady = applied.err.search(new RegExp(`r:Deployment/${ns}/db\\s+Ready`));
    const accountWritten = applied.err.search(new RegExp(`r:ServiceAccount/${ns}/web\\s+created`));
    expect(dbReady).toBeGreaterThan(0);
    expect(dbReady).toBeLessThan(accountWritten);
    const result = JSON.parse(applied.out) as { stages: { kind: string; name: string }[][] };
    expect(result.stages.map((s) => s.map((r) => `${r.kind}/${r.name}`))).toEqual([
      ["Service/db", "Deployment/db"],
      ["ServiceAccount/web"],
      ["Deployment/web"],
    ]);

    const deleted = await run(["mod", "delete", "--release-name", "staged", "-n", ns, "-y"], { env });
    expect(deleted.code).toBe(0);
    expect(deleted.err.split("\n").filter((l) => /^stage \d\/3: /.test(l))).toEqual([
      "stage 3/3: deleting 1 object(s)",
      "stage 2/3: deleting 1 object(s)",
      "stage 1/3: deleting 2 object(s)",
    ]);
    const order = [...deleted.err.matchAll(/^r:(\w+)\/\S+\/(\S+)\s+deleted/gm)].map((m) => `${m[1]}/${m[2]}`);
    expect(order).toEqual(["Deployment/web", "ServiceAccount/web", "Deployment/db", "Service/db"]);
  });
});
