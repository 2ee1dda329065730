// Templates as published modules: a template made from a scaffold, validated (and refused with
// an undeclared placeholder), published, listed, shown, downloaded, and used by
// `opm mod init --template`, whose module then vets.
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { run, tempDir } from "../__tests__/run.ts";

const host = inject("registry");
const registry = `example.com=${host}+insecure`;
let template: string;

const MANIFEST =
  'name: "simple"\nversion: "0.1.0"\ndescription: "One stateless container"\nplaceholders: ["ModuleName", "ModulePath", "PackageName"]\n';

beforeAll(async () => {
  const root = tempDir();
  expect((await run(["mod", "init", "base", "--lang", "cue", "-t", "simple"], { cwd: root })).code).toBe(0);
  template = join(root, "base");
  for (const file of ["module.cue", "values.cue", "components.cue"]) {
    const path = join(template, file);
    writeFileSync(
      path,
      readFileSync(path, "utf8")
        .replace("package base", "package {{PackageName}}")
        .replace('apiVersion: "example.com/base@v0"', 'apiVersion: "{{ModulePath}}"')
        .replace('name:       "base"', 'name:       "{{ModuleName}}"')
        .replace("// base:", "// {{ModuleName}}:"),
    );
  }
  const moduleFile = join(template, "cue.mod/module.cue");
  writeFileSync(
    moduleFile,
    readFileSync(moduleFile, "utf8").replace("example.com/base@v0", "example.com/templates/simple@v0"),
  );
  writeFileSync(join(template, "template.cue"), MANIFEST);
}, 60_000);

describe("templates", () => {
  it("validates, publishes, lists, shows and downloads a template", async () => {
    const valid = await run(["template", "validate", template]);
    expect(valid.code, valid.err).toBe(0);
    expect(valid.out).toBe("template simple 0.1.0 is valid (4 files)\n");
    const published = await run([
      "template",
      "publish",
      template,
      "--version",
      "v0.1.0",
      "--registry",
      registry,
    ]);
    expect(published.code, published.err).toBe(0);
    const list = await run([
      "template",
      "list",
      "--remote",
      "--prefix",
      "example.com/templates",
      "--registry",
      registry,
    ]);
    expect(list.code, list.err).toBe(0);
    expect(list.out).toMatch(/^simple\s+built-in/m);
    expect(list.out).toMatch(/^example\.com\/templates\/simple\s+published\s+v0\.1\.0$/m);
    const shown = await run([
      "template",
      "show",
      "example.com/templates/simple",
      "-o",
      "json",
      "--registry",
      registry,
    ]);
    expect(shown.code, shown.err).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({
      ref: "example.com/templates/simple@v0.1.0",
      name: "simple",
      placeholders: ["ModuleName", "ModulePath", "PackageName"],
      files: ["components.cue", "cue.mod/module.cue", "module.cue", "values.cue"],
    });
    const out = join(tempDir(), "got");
    expect(
      (
        await run([
          "template",
          "get",
          "example.com/templates/simple@v0.1.0",
          "--output",
          out,
          "--registry",
          registry,
        ])
      ).code,
    ).toBe(0);
    expect(readFileSync(join(out, "module.cue"), "utf8")).toContain("package {{PackageName}}");
    expect(readFileSync(join(out, "template.cue"), "utf8")).toContain("name:");
  });

  it("creates a module from a published template that vets", async () => {
    const cwd = tempDir();
    const init = await run(
      ["mod", "init", "my-shop", "--template", "example.com/templates/simple@v0.1.0", "--registry", registry],
      { cwd },
    );
    expect(init.code, init.err).toBe(0);
    expect(init.out).toContain("Created CUE module 'my-shop' in my-shop");
    const dir = join(cwd, "my-shop");
    expect(readdirSync(dir).sort()).toEqual(["components.cue", "cue.mod", "module.cue", "values.cue"]);
    expect(readFileSync(join(dir, "cue.mod/module.cue"), "utf8")).toMatch(
      /^module: "example\.com\/my-shop@v0"$/m,
    );
    expect(readFileSync(join(dir, "module.cue"), "utf8")).toContain('name:       "my-shop"');
    const vet = await run(["mod", "vet", dir]);
    expect(vet.code, vet.err).toBe(0);
    const built = await run(["mod", "build", dir]);
    expect(built.out).toContain("name: my-shop");
  }, 60_000);

  it("refuses an undeclared placeholder and an unknown template, writing nothing", async () => {
    const broken = tempDir();
    for (const file of ["cue.mod/module.cue", "module.cue", "values.cue", "components.cue", "template.cue"]) {
      const { mkdirSync } = await import("node:fs");
      mkdirSync(join(broken, "cue.mod"), { recursive: true });
      writeFileSync(join(broken, file), readFileSync(join(template, file), "utf8"));
    }
    writeFileSync(join(broken, "values.cue"), 'package {{PackageName}}\n\nvalues: app: image: "{{Image}}"\n');
    const invalid = await run(["template", "validate", broken]);
    expect(invalid.code).toBe(2);
    expect(invalid.err).toContain("OPM9020");
    expect(invalid.err).toContain("values.cue uses {{Image}}");
    expect(invalid.err).toContain("values.cue:3");
    const cwd = tempDir();
    const missing = await run(
      ["mod", "init", "x", "--template", "example.com/templates/nothing", "--registry", registry],
      { cwd },
    );
    expect(missing.code).toBe(5);
    expect(missing.err).toContain("no published version of the template");
    expect(existsSync(join(cwd, "x"))).toBe(false);
  });
});
