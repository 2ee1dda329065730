import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tempDir } from "../../__tests__/run.ts";

const MODULE = "cli/testdata/web";

describe("opm mod build", () => {
  it("prints manifests as YAML documents on stdout", async () => {
    const { code, out, err } = await run(["mod", "build", MODULE, "--set", "replicas=3"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out.split("\n---\n").length).toBe(2);
    expect(out).toMatch(/^apiVersion: v1\nkind: Service\n/);
    expect(out).toContain("kind: Deployment");
    expect(out).toContain("  replicas: 3\n");
  });

  it("reads TypeScript values files", async () => {
    const { code, out, err } = await run(["mod", "build", MODULE, "-f", `${MODULE}/prod-values.ts`]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("  replicas: 5\n");
    expect(out).toContain("image: nginx:1.28\n");
  });

  it("caches the module and a TS values file in one owner-only cache", async () => {
    const cache = tempDir("opm-cache-");
    const { code } = await run(["mod", "build", MODULE, "-f", `${MODULE}/prod-values.ts`], {
      env: { OPM_CACHE_DIR: cache },
    });
    expect(code).toBe(0);
    const dir = join(cache, "modules");
    const files = readdirSync(dir).sort();
    // One manifest and one bundle each for the module and the values file, nothing else.
    expect(files.filter((f) => f.endsWith(".json"))).toHaveLength(2);
    expect(files.filter((f) => f.endsWith(".mjs"))).toHaveLength(2);
    expect(files).toHaveLength(4);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of files) expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
  });

  it("reads CUE values files through the CUE engine", async () => {
    const { code, out, err } = await run(["mod", "build", MODULE, "-f", `${MODULE}/prod-values.cue`]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("  replicas: 4\n");
    expect(out).toContain("image: nginx:1.29\n");
  });

  it("positions a wrong value of a CUE values file in that file", async () => {
    const { code, out, err } = await run(["mod", "build", MODULE, "-f", `${MODULE}/bad-values.cue`]);
    expect(out).toBe("");
    expect(err).toMatchInlineSnapshot(`
      "error OPM2001: values.replicas: must be a number
        --> cli/testdata/web/bad-values.cue:2:12
        hint: expected number
      "
    `);
    expect(code).toBe(2);
  });

  it("rejects a values file of an unknown kind, exit 2", async () => {
    const { code, err } = await run(["mod", "build", MODULE, "-f", "values.toml"]);
    expect(err).toMatchInlineSnapshot(`
      "error OPM7007: values file values.toml: opm reads .yaml, .yml, .json, .cue and .ts values files
        hint: convert the file, or give its data with --set
      "
    `);
    expect(code).toBe(2);
  });

  it("is deterministic", async () => {
    const a = await run(["mod", "build", MODULE]);
    const b = await run(["mod", "build", MODULE]);
    expect(a.out).toBe(b.out);
  });

  it("prints a JSON List with -o json, honouring -n and --release-name", async () => {
    const { code, out } = await run([
      "mod",
      "build",
      MODULE,
      "-o",
      "json",
      "-n",
      "prod",
      "--release-name",
      "shop",
    ]);
    expect(code).toBe(0);
    const list = JSON.parse(out) as {
      kind: string;
      items: { kind: string; metadata: { namespace: string; labels: Record<string, string> } }[];
    };
    expect(list.kind).toBe("List");
    expect(list.items.map((i) => i.kind)).toEqual(["Service", "Deployment"]);
    expect(list.items.map((i) => i.metadata.namespace)).toEqual(["prod", "prod"]);
    expect(list.items[0]!.metadata.labels["module-release.opmodel.dev/name"]).toBe("shop");
  });

  it("writes one file per object with --split", async () => {
    const dir = tempDir();
    const { code, out, err } = await run(["mod", "build", MODULE, "--split", "--out-dir", join(dir, "out")]);
    expect(code).toBe(0);
    expect(out).toBe("");
    expect(err).toBe(`wrote 2 resources to ${join(dir, "out")}\n`);
    expect(readdirSync(join(dir, "out")).sort()).toEqual(["deployment-web.yaml", "service-web.yaml"]);
    expect(readFileSync(join(dir, "out", "service-web.yaml"), "utf8")).toMatch(
      /^apiVersion: v1\nkind: Service\n/,
    );
    // A failed build leaves the previous output untouched.
    const failed = await run([
      "mod",
      "build",
      MODULE,
      "--set",
      "port=x",
      "--split",
      "--out-dir",
      join(dir, "out"),
    ]);
    expect(failed.code).toBe(2);
    expect(readdirSync(join(dir, "out")).sort()).toEqual(["deployment-web.yaml", "service-web.yaml"]);
    expect(readdirSync(dir)).toEqual(["out"]);
  });

  it("never replaces a file or a directory holding other files with --split (fuzz: it deleted them)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "notes.txt"), "mine\n");
    const intoFile = await run(["mod", "build", MODULE, "--split", "--out-dir", join(dir, "notes.txt")]);
    expect(intoFile.err).toBe(
      `error OPM7013: cannot write manifests to ${join(dir, "notes.txt")}: it is a file, not a directory\n` +
        "  hint: --split replaces the whole directory; point --out-dir at a new directory or at the output of an earlier --split\n",
    );
    expect(intoFile.code).toBe(1);
    const intoDir = await run(["mod", "build", MODULE, "--split", "--out-dir", dir]);
    expect(intoDir.err).toContain(
      `cannot write manifests to ${dir}: it holds notes.txt, which --split did not write`,
    );
    expect(intoDir.code).toBe(1);
    expect(readdirSync(dir)).toEqual(["notes.txt"]);
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("mine\n");
  });

  it("refuses a --ca-file that cannot be read, even for a local module (fuzz: the flag was ignored)", async () => {
    const missing = join(tempDir(), "ca.pem");
    const { code, out, err } = await run(["mod", "build", MODULE, "--ca-file", missing]);
    expect(out).toBe("");
    expect(err).toMatch(new RegExp(`^error OPM9022: the CA file ${missing} cannot be read: ENOENT`));
    expect(code).toBe(5);
  });

  it("reports every values error at once with its location, exit 2", async () => {
    const { code, out, err } = await run([
      "mod",
      "build",
      MODULE,
      "-f",
      `${MODULE}/bad-values.yaml`,
      "--set",
      "port=x",
    ]);
    expect(out).toBe("");
    expect(err).toMatchInlineSnapshot(`
      "error OPM2001: values.image: must be a string
        --> cli/testdata/web/bad-values.yaml:1:8
        hint: expected string
      error OPM2001: values.replicas: must be a number
        --> cli/testdata/web/bad-values.yaml:2:11
        hint: expected number
      error OPM2001: values.port: must be a number
        --> --set port=x
        hint: expected number
      render failed with 3 errors
      "
    `);
    expect(code).toBe(2);
  });

  it("explains the render on stderr with -v", async () => {
    const { code, err } = await run(["mod", "build", MODULE, "-v"]);
    expect(code).toBe(0);
    expect(err).toContain("namespace = web (module)");
    expect(err).toContain("✔ matched opmodel.dev/providers/kubernetes/transformers@v0#DeploymentTransformer");
    expect(err).toContain(
      "Deployment/web/web <- web via opmodel.dev/providers/kubernetes/transformers@v0#DeploymentTransformer",
    );
  });

  it("gives the report as JSON with --verbose-json", async () => {
    const { code, err } = await run(["mod", "build", MODULE, "--verbose-json", "-n", "x"]);
    expect(code).toBe(0);
    const report = JSON.parse(err) as {
      settings: { namespace: { value: string; source: string } };
      resources: unknown[];
    };
    expect(report.settings.namespace).toEqual({
      value: "x",
      source: "flag",
      shadowed: [{ source: "module", value: "web" }],
    });
    expect(report.resources).toHaveLength(2);
  });

  it("takes the namespace from OPM_NAMESPACE over the module's default", async () => {
    const { out } = await run(["mod", "build", MODULE, "-o", "json"], { env: { OPM_NAMESPACE: "from-env" } });
    expect(out).toContain('"namespace": "from-env"');
  });

  it("fails with exit 5 when the path does not exist", async () => {
    const { code, err } = await run(["mod", "build", "cli/testdata/missing"]);
    expect(err).toMatchInlineSnapshot(`
      "error OPM7002: no module at cli/testdata/missing: the path does not exist
        hint: give a directory with a *.opm.ts file or a CUE module, or a *.opm.ts file
      "
    `);
    expect(code).toBe(5);
  });

  it("fails with exit 5 for a missing values file", async () => {
    const { code, err } = await run(["mod", "build", MODULE, "-f", "nope.yaml"]);
    expect(err).toMatchInlineSnapshot(`
      "error OPM7006: values file nope.yaml does not exist
        hint: check the path given to -f/--values
      "
    `);
    expect(code).toBe(5);
  });

  it("rejects an unknown provider with exit 2", async () => {
    const { code, err } = await run(["mod", "build", MODULE, "--provider", "nomad"]);
    expect(err).toMatchInlineSnapshot(`
      "error OPM7008: unknown provider "nomad" (from flag)
        hint: known providers: kubernetes
      "
    `);
    expect(code).toBe(2);
  });

  it("rejects an unknown output format as a usage error", async () => {
    const { code, err } = await run(["mod", "build", MODULE, "-o", "xml"]);
    expect(err).toMatchInlineSnapshot(`
      "error OPM7001: opm mod build: invalid value for -o: expected one of "yaml" or "json" (got "xml")
        hint: did you mean yaml? (run 'opm mod build --help' for usage)
      "
    `);
    expect(code).toBe(1);
  });

  it("reports a module file that does not compile with its position", async () => {
    const dir = tempDir();
    const file = join(dir, "broken.opm.ts");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file, "export default {\n  kind: 'Module',,\n};\n");
    const { code, err } = await run(["mod", "build", file]);
    expect(err.replaceAll(dir, "<dir>")).toMatchInlineSnapshot(`
      "error OPM7004: cannot compile <dir>/broken.opm.ts: Expected identifier but found ","
        --> <dir>/broken.opm.ts:2:18
        hint: fix the TypeScript at this position
      "
    `);
    expect(code).toBe(2);
    expect(existsSync(file)).toBe(true);
  });

  it("shows help with examples", async () => {
    const { code, out } = await run(["mod", "build", "--help"]);
    expect(code).toBe(0);
    expect(out).toMatchInlineSnapshot(`
      "Render a module to Kubernetes manifests

      Usage

      $ opm mod build [path]

      Options

        -v,--verbose                          explain what happens on stderr (resolved settings, match plan, provenance)
        --debug                               print stack traces of errors
        --color                               colour the output even when piped (--no-color: never); default: on a terminal, unless NO_COLOR (FORCE_COLOR forces)
        --config <file>                       configuration file (env OPM_CONFIG; default ~/.opm/config.cue)
        -n,--namespace <namespace>            target namespace (env OPM_NAMESPACE)
        --kubeconfig <file>                   kubeconfig file (env OPM_KUBECONFIG, then KUBECONFIG; default ~/.kube/config)
        --context,--kube-context <context>    kubeconfig context (env OPM_CONTEXT; default the current context)
        -f,--values <file>                    values file (YAML, JSON, CUE, TS, or SOPS-encrypted *.sops.yaml/json; - for stdin), repeatable; later files win
        --set <path=value>                    set a value, e.g. --set image.tag=1.2 (repeatable; wins over files)
        --set-string <path=value>             set a value that stays a string, e.g. --set-string image.tag=1.10
        --set-json <path=json>                set a value from JSON, e.g. --set-json 'ports=[{"port":80}]'
        --set-file <path=file>                set a value to a file's content, e.g. --set-file db.password=./pw.txt (wins over --set)
        --release-name <release-name>         release name (default: the module name)
        --release-prefix                      name objects <release>-<name> so releases of one module can share a namespace; --no-release-prefix names them after their components (default: what the release was applied with, else the module's metadata.naming)
        --provider <provider>                 provider (env OPM_PROVIDER; default the one configured, else kubernetes)
        --strict                              treat unhandled traits as errors
        --module-timeout <duration>           time limit for each step of a TS module's code (env OPM_MODULE_TIMEOUT; default 30s)
        --registry <registry>                 CUE registry for CUE modules' dependencies (env OPM_REGISTRY, then config, then CUE_REGISTRY)
        --ca-file <file>                      PEM CA certificates for HTTPS registries, for <module path>@<version> (env OPM_REGISTRY_CA)
        -o,--output <format>                  output format: yaml or json (default: yaml)
        --split                               write one file per object to --out-dir
        --out-dir <dir>                       directory for --split (default: manifests)
        --redact                              mask Secret values (data, stringData) and every other secret value in the output
        --verbose-json                        print the verbose report as JSON on stderr

      Details

      Loads the module at \`path\` (default \`.\`): a directory holding \`module.opm.ts\` or 
      one \`*.opm.ts\` file, or such a file. Values are the module's defaults, then each 
      \`-f\` file in order, then each \`--set\`. Manifests go to stdout as YAML documents 
      (or a JSON List with \`-o json\`), in apply order; with \`--split\` one file per 
      object goes to \`--out-dir\` (a file holding a Secret is written readable by its 
      owner only). The manifests hold Secret values as rendered; \`--redact\` masks 
      them, and every other secret value, as \`<masked>\`.

      Errors are reported all at once with their file:line:col and exit code 2.

      Examples

      Render the module in the current directory
        $ opm mod build

      Render an example into a namespace with a values file
        $ opm mod build examples/jellyfin -n media -f prod.yaml

      Override one value
        $ opm mod build ./app --set image.tag=1.2.3

      Write one file per object
        $ opm mod build ./app --split --out-dir manifests

      Review the manifests without secret values
        $ opm mod build ./app --redact

      Explain the match plan on stderr
        $ opm mod build ./app -v > /dev/null
      "
    `);
  });
});
