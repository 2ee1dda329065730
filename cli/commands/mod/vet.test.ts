import { describe, expect, it } from "vitest";
import { run } from "../../__tests__/run.ts";

const MODULE = "cli/testdata/web";

describe("opm mod vet", () => {
  it("prints one check line per phase and per object", async () => {
    const { code, out, err } = await run(["mod", "vet", MODULE]);
    expect(err).toBe("");
    expect(out).toMatchInlineSnapshot(`
      "✔ Module loads: example.com/web@v0#Web 0.1.0 (cli/testdata/web/module.opm.ts)
      ✔ Values satisfy #config
      ✔ Release names and labels are valid
      ✔ Every required interface is provided
      ✔ Every component matches a transformer
      ✔ Transformers produce valid, distinct objects
      ✔ Policies allow the release
      ✔ Dependencies between objects have no cycle
      ✔ r:Service/web/web                                valid
      ✔ r:Deployment/web/web                             valid
      "
    `);
    expect(code).toBe(0);
  });

  it("reports every values problem at once and marks the phases, exit 2", async () => {
    const { code, out, err } = await run(["mod", "vet", MODULE, "-f", `${MODULE}/bad-values.yaml`]);
    expect(out).toMatchInlineSnapshot(`
      "✔ Module loads: example.com/web@v0#Web 0.1.0 (cli/testdata/web/module.opm.ts)
      ✘ Values satisfy #config
      - Release names and labels are valid
      - Every required interface is provided
      - Every component matches a transformer
      - Transformers produce valid, distinct objects
      - Policies allow the release
      - Dependencies between objects have no cycle
      "
    `);
    expect(err).toMatchInlineSnapshot(`
      "error OPM2001: values.image: must be a string
        --> cli/testdata/web/bad-values.yaml:1:8
        hint: expected string
      error OPM2001: values.replicas: must be a number
        --> cli/testdata/web/bad-values.yaml:2:11
        hint: expected number
      vet found 2 problems
      "
    `);
    expect(code).toBe(2);
  });

  it("marks the load as failed when the module is missing, exit 5", async () => {
    const { code, out, err } = await run(["mod", "vet", "cli/testdata"]);
    expect(out).toMatchInlineSnapshot(`
      "✘ Module loads
      "
    `);
    expect(err).toMatchInlineSnapshot(`
      "error OPM7002: no module in cli/testdata: no *.opm.ts file and no cue.mod directory
        hint: create one with \`opm mod init <name>\`
      "
    `);
    expect(code).toBe(5);
  });

  it("shows help with examples", async () => {
    const { code, out } = await run(["mod", "vet", "-h"]);
    expect(code).toBe(0);
    expect(out).toMatchInlineSnapshot(`
      "Check a module: load, values, match and render, without output

      Usage

      $ opm mod vet [path]

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
        -o,--output <format>                  output format: text, json or yaml (default: text)

      Details

      Runs the whole render pipeline of \`opm mod build\` and prints one check line per 
      phase and per rendered object on stdout, then the interfaces the release 
      provides and how each one it requires is wired, then the stage plan when objects 
      wait for others (a workload for its ConfigMap, a custom resource for its CRD, a 
      component for the components in its \`dependsOn\` or whose interfaces it 
      requires), then each policy rule (the module's and the platform's from the 
      config file) with its violations. With --kubeconfig or --context, interfaces no 
      component of the module provides are looked up among the other releases in the 
      namespace. Every problem is reported at once on stderr with its file:line:col; 
      the exit code is 2 when any check fails, a blocking policy rule included. 
      Warn-mode violations are warnings; audit-mode ones only show in the results (and 
      \`-o json\`/\`-o yaml\`).

      Examples

      Check the module in the current directory
        $ opm mod vet

      Check an example with production values
        $ opm mod vet examples/jellyfin -f prod.yaml

      Fail on unhandled traits too
        $ opm mod vet ./app --strict

      Wire required interfaces to releases on a cluster
        $ opm mod vet ./app --context kind-dev -n shop

      The checks, policy results and problems as JSON
        $ opm mod vet ./app -o json
      "
    `);
  });
});
