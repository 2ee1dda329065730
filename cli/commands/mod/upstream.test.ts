// `opm mod build` of the upstream-style acceptance modules (bridge/testdata/upstream): each one
// builds unchanged, without values files and with each values file beside it, byte-identical
// to its golden file. values_*.cue beside a module count only when passed with -f. Then the
// layering cases by name: a -f file choosing another branch of a disjunction than values.cue,
// and fields #config derives (a URL, a default chosen by a disjunction) following --set.
// Update the goldens with: UPDATE_GOLDEN=1 npx vitest run cli/commands/mod/upstream
import { describe, expect, it } from "vitest";
import {
  goldenFile,
  UPSTREAM_MODULES,
  upstreamModuleDir,
  valuesVariants,
} from "../../../bridge/module/__tests__/upstream.ts";
import { expectGolden } from "../../../test/golden.ts";
import { run } from "../../__tests__/run.ts";

async function build(module: string, ...args: string[]) {
  return run(["mod", "build", ".", ...args], { cwd: upstreamModuleDir(module) });
}

/** The value of an environment variable of the first container that sets it. */
function env(yaml: string, name: string): string | undefined {
  const match = new RegExp(`- name: ${name}\\n\\s+value: (.*)`).exec(yaml);
  return match?.[1];
}

describe.each(UPSTREAM_MODULES)("opm mod build of upstream-style module %s", (name) => {
  const dir = upstreamModuleDir(name);
  it.each(valuesVariants(dir))("matches its golden file (%s)", async (variant) => {
    const { code, out, err } = await build(name, ...(variant === "no -f" ? [] : ["-f", variant]));
    expect(err).toBe("");
    expect(code).toBe(0);
    expectGolden(out, goldenFile(dir, variant));
  });
});

describe("values layering keeps CUE's meaning", () => {
  it("a -f file switches the disjunction branch values.cue chose", async () => {
    const sqlite = await build("notes");
    expect(env(sqlite.out, "DATABASE_URL")).toBe("sqlite:///var/lib/notes/notes.db");
    // values.cue chose SQLite with a path; values_postgres.cue chooses Postgres, which has no
    // path: the path values.cue set no longer applies and is not reported as "not allowed".
    const postgres = await build("notes", "-f", "values_postgres.cue");
    expect(postgres.err).toBe("");
    expect(env(postgres.out, "DATABASE_URL")).toBe("postgres://db.internal:5432/notes");
  });

  it("a computed field follows --set", async () => {
    const { code, out } = await build("notes", "--set", "domain=notes.example.com");
    expect(code).toBe(0);
    expect(env(out, "PUBLIC_URL")).toBe("https://notes.example.com/");
    const staging = await build("webapp", "-f", "values_staging.cue", "--set", "domain=preview.example.com");
    expect(env(staging.out, "PUBLIC_URL")).toBe("https://preview.example.com/");
    expect(staging.out).toContain("- host: preview.example.com\n");
  });

  it("a default chosen by a disjunction follows --set", async () => {
    const small = await build("notes");
    expect(small.out).toContain("  replicas: 1\n");
    const large = await build("notes", "--set", "size=large");
    expect(large.out).toContain("  replicas: 3\n");
    expect(large.out).toContain('              cpu: "1"\n');
  });

  it("a later layer replaces an earlier value, and the schema's rules apply to the result", async () => {
    // Production requires at least three replicas; values.cue's one is replaced by the file's.
    const production = await build("webapp", "-f", "values_production.cue", "--set", "replicas=2");
    expect(production.code).toBe(2);
    expect(production.err).toMatchInlineSnapshot(`
      "error OPM2001: values.replicas: invalid value 2 (out of bound >=3) (constrained by #config at module.cue:33:13)
        --> --set replicas=2
      error OPM2001: values.autoscaling.max: non-concrete value replicas for bound >= (constrained by #config at module.cue:28:27)
        --> values_production.cue:8:20
      render failed with 2 errors
      "
    `);
  });

  it("leaves values_*.cue out of the module: each is an alternative, loaded only with -f", async () => {
    // Loaded with the module, values_modded.cue and values_ephemeral.cue would conflict with
    // values.cue and with each other.
    const { code, out } = await build("gameserver");
    expect(code).toBe(0);
    expect(env(out, "GAME_MODE")).toBe("survival");
    expect(env((await build("gameserver", "-f", "values_modded.cue")).out, "GAME_MODE")).toBe("modded");
  });
});
