// CUE to TS for a user's own package of definitions: the team-traits fixture (two traits, one
// resource, importing our catalog from the shared test registry) generates bindings that
// type-check as a user's project would compile them (`@opm/sdk/*` by package name), and that a
// TS module uses with `component(...)` and a TS transformer of its own, rendered by the sdk.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Project } from "ts-morph";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureEngineBuilt } from "../__tests__/support.ts";
import { createCueEngine } from "../create.ts";
import type { CueEngine } from "../engine.ts";
import { catalogRegistry, publishCatalog } from "../module/__tests__/catalog-registry.ts";
import { prettierFormatter, REPO_ROOT } from "./node-io.ts";
import { BindingsError, generateBindings } from "./user-package.ts";

const TEAM_TRAITS = fileURLToPath(new URL("./testdata/team-traits/", import.meta.url));
const APP = fileURLToPath(new URL("./testdata/team-app.ts.txt", import.meta.url));

let engine: CueEngine;
let registry: string;
// Inside the repository (its /tmp/ is ignored by git) so `@opm/sdk/*` resolves by package
// self-reference, exactly as in a user's project that depends on the package.
let projectDir: string;

beforeAll(async () => {
  ensureEngineBuilt();
  registry = catalogRegistry(inject("registry"));
  await publishCatalog(`http://${inject("registry")}`);
  mkdirSync(join(REPO_ROOT, "tmp"), { recursive: true });
  projectDir = mkdtempSync(join(REPO_ROOT, "tmp", "opm-bindings-"));
  // A module cache of its own: the catalog is republished as v0.1.0 whenever it changes.
  engine = createCueEngine({ cacheDir: join(projectDir, "cue-cache") });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  if (projectDir !== undefined) rmSync(projectDir, { recursive: true, force: true });
});

describe("generateBindings for a user CUE package", () => {
  it("generates, type-checks and renders through a TS module and transformer", async () => {
    const files = await generateBindings(engine, { dir: TEAM_TRAITS, registry, format: prettierFormatter });
    expect([...files.keys()]).toEqual(["teamtraits.ts"]);
    const source = files.get("teamtraits.ts")!;
    expect(source).toContain('from "@opm/sdk/dsl"');
    expect(source).toContain('import { ContainerResource } from "@opm/sdk/catalog"');
    const exported = [...source.matchAll(/^export (?:const|type) (\w+)/gm)].map((m) => m[1]);
    expect(exported).toEqual([
      "QueueSpec",
      "queueSpecSchema",
      "queueDefaults",
      "QueueResource",
      "Queue",
      "BackupSpec",
      "backupSpecSchema",
      "backupDefaults",
      "BackupTrait",
      "Backup",
      "CostCenterSpec",
      "costCenterSpecSchema",
      "CostCenterTrait",
      "CostCenter",
    ]);

    mkdirSync(join(projectDir, "generated"), { recursive: true });
    writeFileSync(join(projectDir, "generated", "teamtraits.ts"), source);
    writeFileSync(join(projectDir, "app.ts"), readFileSync(APP, "utf8"));

    const project = new Project({
      tsConfigFilePath: join(REPO_ROOT, "tsconfig.json"),
      skipAddingFilesFromTsConfig: true,
    });
    const added = [
      project.addSourceFileAtPath(join(projectDir, "generated", "teamtraits.ts")),
      project.addSourceFileAtPath(join(projectDir, "app.ts")),
    ];
    const diagnostics = added.flatMap((file) =>
      file
        .getPreEmitDiagnostics()
        .map((d) => `${file.getBaseName()}:${d.getLineNumber() ?? 0}: ${String(d.getMessageText())}`),
    );
    expect(diagnostics).toEqual([]);

    // Run as a user would: Node resolves `@opm/sdk/*` by self-reference (source condition), tsx
    // loads the TS; the app prints the rendered manifests.
    const output = execFileSync(
      process.execPath,
      ["--conditions=@opm/source", "--import", "tsx", join(projectDir, "app.ts")],
      { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 },
    );
    expect(output).toMatchInlineSnapshot(`
      "apiVersion: backups.acme.example/v1
      kind: BackupSchedule
      metadata:
        name: db-backup
        namespace: orders
        labels:
          app.kubernetes.io/instance: db
          app.kubernetes.io/managed-by: open-platform-model
          app.kubernetes.io/name: db
          app.kubernetes.io/version: 0.1.0
          component.opmodel.dev/name: db
          module-release.opmodel.dev/name: orders
          module-release.opmodel.dev/uuid: 5d7c14a4-95db-513a-a87b-9e958450e738
          module-release.opmodel.dev/version: 0.1.0
          module.opmodel.dev/name: orders
          module.opmodel.dev/uuid: bb8485ca-8733-5646-b83b-77555df8b23f
          module.opmodel.dev/version: 0.1.0
      spec:
        paths:
          - /var/lib/postgresql/data
        schedule: 30 2 * * *
      ---
      apiVersion: queues.acme.example/v1
      kind: Queue
      metadata:
        name: queue
        namespace: orders
        labels:
          app.kubernetes.io/instance: queue
          app.kubernetes.io/managed-by: open-platform-model
          app.kubernetes.io/name: queue
          app.kubernetes.io/version: 0.1.0
          component.opmodel.dev/name: queue
          module-release.opmodel.dev/name: orders
          module-release.opmodel.dev/uuid: 5d7c14a4-95db-513a-a87b-9e958450e738
          module-release.opmodel.dev/version: 0.1.0
          module.opmodel.dev/name: orders
          module.opmodel.dev/uuid: bb8485ca-8733-5646-b83b-77555df8b23f
          module.opmodel.dev/version: 0.1.0
      spec:
        billing:
          code: EU-1234
          owner: orders-team
          tier: gold
        maxMessages: 5000
      "
    `);
  }, 120_000);

  it("fails with a positioned error for a package that does not exist", async () => {
    const error = await generateBindings(engine, {
      dir: join(TEAM_TRAITS, "no-such-package"),
      registry,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BindingsError);
    expect((error as BindingsError).reason).toBe("PackageNotLoaded");
    const issues = (error as BindingsError)
      .describeIssues()
      .map((line) => line.replace(TEAM_TRAITS, "<fixture>/"));
    expect(issues).toMatchInlineSnapshot(`
      [
        "module directory <fixture>/no-such-package does not exist",
      ]
    `);
  });

  it("fails with a positioned error for an import of a package that does not exist", async () => {
    const error = await generateBindings(engine, {
      dir: TEAM_TRAITS,
      registry,
      overlay: { "extra.cue": 'package teamtraits\n\nimport nope "opmodel.dev/nope@v0"\n\n#x: nope.#Y\n' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BindingsError);
    expect((error as BindingsError).reason).toBe("PackageNotLoaded");
    const issues = (error as BindingsError)
      .describeIssues()
      .map((line) => line.replace(TEAM_TRAITS, "<fixture>/"));
    expect(issues).toMatchInlineSnapshot(`
      [
        "extra.cue:3:8: acme.example/team-traits@v0: import failed: <fixture>/extra.cue:3:8: cannot find package "opmodel.dev/nope@v0": cannot find module providing package opmodel.dev/nope@v0",
      ]
    `);
  });

  it("fails when the package holds no OPM definitions", async () => {
    const error = await generateBindings(engine, {
      dir: TEAM_TRAITS,
      package: "other",
      registry,
      overlay: { "other.cue": "package other\n\n#Settings: {verbose: bool}\n" },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BindingsError);
    expect((error as BindingsError).reason).toBe("NoDefinitions");
  });

  it("imports the catalog's schemas a spec references rather than emitting them again", async () => {
    const files = await generateBindings(engine, {
      dir: TEAM_TRAITS,
      registry,
      overlay: {
        "debug.cue": [
          "package teamtraits",
          "",
          "import (",
          '\tcore "opmodel.dev/core@v0"',
          '\tschemas "opmodel.dev/schemas@v0"',
          ")",
          "",
          "#DebugTrait: core.#Trait & {",
          '\tmetadata: {apiVersion: "acme.example/team-traits@v0", name: "debug"}',
          "\tappliesTo: []",
          "\t#spec: debug: {container: schemas.#ContainerSchema, note?: string}",
          "}",
          "",
        ].join("\n"),
      },
    });
    const source = files.get("teamtraits.ts")!;
    expect(source).toMatch(/import \{[^}]*\bcontainerSchema\b[^}]*\} from "@opm\/sdk\/catalog"/);
    expect(source).toMatch(/import \{[^}]*\btype ContainerSchema\b[^}]*\} from "@opm\/sdk\/catalog"/);
    expect(source).not.toMatch(/export (const|type) (containerSchema|ContainerSchema|PortSchema)\b/);
    expect(source).toContain("container: containerSchema");
  });

  it("fails with a positioned error for a definition without #spec", async () => {
    const error = await generateBindings(engine, {
      dir: TEAM_TRAITS,
      registry,
      overlay: {
        "broken.cue": [
          "package teamtraits",
          "",
          'import core "opmodel.dev/core@v0"',
          "",
          "#AuditTrait: core.#Trait & {",
          '\tmetadata: {apiVersion: "acme.example/team-traits@v0", name: "audit"}',
          "\tappliesTo: []",
          "}",
          "",
        ].join("\n"),
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BindingsError);
    expect((error as BindingsError).reason).toBe("DefinitionWithoutSpec");
    expect((error as BindingsError).describeIssues()).toMatchInlineSnapshot(`
      [
        "broken.cue:6:62: #AuditTrait: a resource, trait, blueprint or policy rule must declare #spec: {<specKey>: <schema>}",
      ]
    `);
  });
});
