// Deploying straight from a registry, release history and rollback, against the real control
// plane and registry: apply <module path>@v1.0.0, then @v1.1.0, then `opm mod rollback`, and the
// live objects are the v1.0.0 render again (with the values of that change). The inventory keeps
// no values; a change applied from a local directory cannot be rolled back to.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { kubeRequest } from "../../testenv/kube-client.ts";
import { repoRoot, run, tempDir } from "../__tests__/run.ts";
import { maskValues } from "./history.ts";

const host = inject("registry");
const registry = `example.com=${host}+insecure`;
const env = () => ({ KUBECONFIG: inject("kubeconfig") });
let moduleDir: string;

function setModulePath(dir: string, path: string): void {
  const file = join(dir, "cue.mod/module.cue");
  writeFileSync(file, readFileSync(file, "utf8").replace(/^module: .*$/m, `module: "${path}"`));
}

beforeAll(async () => {
  moduleDir = tempDir();
  cpSync(join(repoRoot, "examples/blog/cue"), moduleDir, { recursive: true });
  setModulePath(moduleDir, "example.com/rollapp@v1");
  expect((await run(["mod", "publish", moduleDir, "--version", "v1.0.0", "--registry", registry])).code).toBe(
    0,
  );
  const blog = join(moduleDir, "blog.cue");
  writeFileSync(
    blog,
    readFileSync(blog, "utf8")
      .replace('image: "ghost:5.96"', 'image: "ghost:6.0"')
      .replace('theme: "light"\n}', 'theme: "dark"\n}'),
  );
  expect((await run(["mod", "publish", moduleDir, "--version", "v1.1.0", "--registry", registry])).code).toBe(
    0,
  );
}, 120_000);

/** `opm mod diff` of a version with its values against the live release: 0 when they are equal. */
async function diffAgainst(ns: string, version: string, set: string[]): Promise<number> {
  const diffed = await run(
    [
      "mod",
      "diff",
      `example.com/rollapp@${version}`,
      "-n",
      ns,
      "--release-name",
      "roll",
      "--registry",
      registry,
      ...set.flatMap((s) => ["--set", s]),
    ],
    { env: env() },
  );
  expect(diffed.code, diffed.err).toBeLessThan(2);
  return diffed.code;
}

describe("deploy from a registry, history and rollback", () => {
  it("applies v1.0.0 then v1.1.0, rolls back, and the live objects are the v1.0.0 render", async () => {
    const ns = `roll-${Date.now().toString(36)}`;
    const common = ["-n", ns, "--release-name", "roll", "--registry", registry, "--no-wait"];
    const v1 = await run(
      [
        "mod",
        "apply",
        "example.com/rollapp@v1.0.0",
        ...common,
        "--create-namespace",
        "--set",
        "web.replicas=3",
      ],
      { env: env() },
    );
    expect(v1.code, v1.err).toBe(0);
    expect(await diffAgainst(ns, "v1.0.0", ["web.replicas=3"])).toBe(0);
    const v11 = await run(
      ["mod", "apply", "example.com/rollapp@v1.1.0", ...common, "--set", "web.replicas=4"],
      { env: env() },
    );
    expect(v11.code, v11.err).toBe(0);
    expect(await diffAgainst(ns, "v1.1.0", ["web.replicas=4"])).toBe(0);
    expect(await diffAgainst(ns, "v1.0.0", ["web.replicas=3"])).toBe(1);

    const rollback = await run(["mod", "rollback", ...common], { env: env() });
    expect(rollback.code, rollback.err).toBe(0);
    expect(rollback.err).toContain("rolling back release roll to revision 1 (example.com/rollapp@v1@v1.0.0)");
    expect(await diffAgainst(ns, "v1.0.0", ["web.replicas=3"])).toBe(0);

    const history = await run(["mod", "history", "--release-name", "roll", "-n", ns, "-o", "json"], {
      env: env(),
    });
    expect(history.code, history.err).toBe(0);
    const rows = JSON.parse(history.out) as {
      revision: number;
      version: string;
      source: string;
      current: boolean;
    }[];
    // Re-applying v1.0.0 with its values is the same change as revision 1: it moves to the front.
    expect(rows.map((r) => [r.version, r.current])).toEqual([
      ["v1.1.0", false],
      ["v1.0.0", true],
    ]);
    expect(rows[1]!.source).toBe(`${host}/example.com/rollapp:v1.0.0`);
    const table = await run(["mod", "history", "--release-name", "roll", "-n", ns], { env: env() });
    expect(table.out).toMatch(
      /^REVISION\s+MODULE\s+VERSION\s+SOURCE\s+OBJECTS\s+AGE\s+STATUS\n1\s+example\.com\/rollapp@v1\s+v1\.1\.0/,
    );

    const values = await run(["mod", "get-values", "--release-name", "roll", "-n", ns, "-o", "json"], {
      env: env(),
    });
    expect(values.code, values.err).toBe(0);
    expect(JSON.parse(values.out).web).toEqual({ image: "ghost:5.96", replicas: 3 });
    const older = await run(
      ["mod", "get-values", "--release-name", "roll", "-n", ns, "--revision", "1", "-o", "json"],
      { env: env() },
    );
    expect(JSON.parse(older.out).web).toEqual({ image: "ghost:6.0", replicas: 4 });

    // The inventory Secret holds references, never the values.
    const secrets = await kubeRequest(
      inject("kubeconfig"),
      "GET",
      `/api/v1/namespaces/${ns}/secrets?labelSelector=opmodel.dev%2Fcomponent%3Dinventory`,
    );
    const inventory = JSON.stringify(
      (secrets.body as { items: { data: Record<string, string> }[] }).items.map((s) =>
        Object.values(s.data).map((d) => Buffer.from(d, "base64").toString()),
      ),
    );
    expect(inventory).toContain("values");
    expect(inventory).not.toContain("ghost:5.96");
    expect(inventory).not.toContain("blog.example.com");
  }, 240_000);

  it("refuses to roll back to a change applied from a local directory, and past the history", async () => {
    const ns = `local-${Date.now().toString(36)}`;
    const dir = tempDir();
    cpSync(moduleDir, dir, { recursive: true });
    const common = ["-n", ns, "--release-name", "loc", "--no-wait"];
    expect((await run(["mod", "apply", dir, ...common, "--create-namespace"], { env: env() })).code).toBe(0);
    expect(
      (await run(["mod", "apply", dir, ...common, "--set", "web.replicas=5"], { env: env() })).code,
    ).toBe(0);
    const refused = await run(["mod", "rollback", ...common], { env: env() });
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("OPM9021");
    expect(refused.err).toContain("applied from a local module");
    const past = await run(["mod", "rollback", ...common, "--to", "7"], { env: env() });
    expect(past.code).toBe(2);
    expect(past.err).toContain("revision 7 is not in the history");
  }, 120_000);

  it("masks secret values", () => {
    expect(
      maskValues({
        db: { password: "hunter2", host: "db" },
        token: "t",
        api: { $opm: "secret", value: "v", $secretName: "s" },
      }),
    ).toEqual({
      db: { password: "<masked>", host: "db" },
      token: "<masked>",
      api: { $opm: "secret", value: "<masked>", $secretName: "s" },
    });
  });
});
