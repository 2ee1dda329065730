import { describe, expect, it } from "vitest";
import { run } from "../../__tests__/run.ts";

const MODULE = "cli/testdata/web";

describe("opm mod eval", () => {
  it("prints the evaluated module as YAML with values applied", async () => {
    const { code, out, err } = await run(["mod", "eval", MODULE, "--set", "image=nginx:1.28"]);
    expect(err).toBe("");
    expect(out).toMatchInlineSnapshot(`
      "kind: ModuleRelease
      metadata:
        name: web
        namespace: web
        fqn: example.com/web@v0#Web
        version: 0.1.0
        identity: fa98c639-4bc3-57c4-a19c-f4b285c5ee16
        labels:
          module.opmodel.dev/name: web
          module.opmodel.dev/version: 0.1.0
          module.opmodel.dev/uuid: 93ecf6ab-fd3d-5e05-b76c-0242cc951bcc
          module-release.opmodel.dev/name: web
          module-release.opmodel.dev/version: 0.1.0
          module-release.opmodel.dev/uuid: fa98c639-4bc3-57c4-a19c-f4b285c5ee16
        annotations: {}
      module:
        apiVersion: example.com/web@v0
        name: web
        version: 0.1.0
        fqn: example.com/web@v0#Web
        identity: 93ecf6ab-fd3d-5e05-b76c-0242cc951bcc
        defaultNamespace: web
        labels:
          module.opmodel.dev/name: web
          module.opmodel.dev/version: 0.1.0
          module.opmodel.dev/uuid: 93ecf6ab-fd3d-5e05-b76c-0242cc951bcc
        annotations: {}
      values:
        image: nginx:1.28
        replicas: 2
        port: 8080
      components:
        web:
          metadata:
            name: web
            labels:
              core.opmodel.dev/workload-type: stateless
            annotations: {}
          resources:
            - opmodel.dev/resources/workload@v0#Container
          traits:
            - opmodel.dev/traits/network@v0#Expose
            - opmodel.dev/traits/workload@v0#Scaling
          blueprints: []
          spec:
            container:
              name: web
              image: nginx:1.28
              ports:
                http:
                  targetPort: 8080
            scaling:
              count: 2
            expose:
              ports:
                http:
                  targetPort: 8080
              type: ClusterIP
      "
    `);
    expect(code).toBe(0);
  });

  it("prints JSON with -o json", async () => {
    const { code, out } = await run(["mod", "eval", MODULE, "-o", "json", "-n", "staging"]);
    expect(code).toBe(0);
    const data = JSON.parse(out) as { metadata: { namespace: string }; values: unknown };
    expect(data.metadata.namespace).toBe("staging");
    expect(data.values).toEqual({ image: "nginx:1.27", replicas: 2, port: 8080 });
  });

  it("prints CUE with -o cue", async () => {
    const { code, out } = await run(["mod", "eval", MODULE, "-o", "cue"]);
    expect(code).toBe(0);
    expect(out).toMatch(/^kind: "ModuleRelease"\nmetadata: \{\n\tname: +"web"\n/);
  });

  it("fails with the values errors, exit 2", async () => {
    const { code, out, err } = await run(["mod", "eval", MODULE, "--set", "replicas=many"]);
    expect(out).toBe("");
    expect(err).toMatchInlineSnapshot(`
      "error OPM2001: values.replicas: must be a number
        --> --set replicas=many
        hint: expected number
      "
    `);
    expect(code).toBe(2);
  });

  it("shows help with examples", async () => {
    const { code, out } = await run(["mod", "eval", "--help"]);
    expect(code).toBe(0);
    expect(out).toMatchInlineSnapshot(`
      "Print the evaluated module: release metadata, values and components

      Usage

      $ opm mod eval [path]

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
        -o,--output <format>                  output format: yaml, json or cue (default: yaml)
        --show-secrets                        print secret values (#Secret values, sensitive fields, Secret data) instead of <masked>

      Details

      Evaluates the module with its values applied (defaults, \`-f\` files, \`--set\`) and 
      prints the result: the release metadata, the module metadata, the validated 
      values and every component with its resources, traits and concrete spec. \`-o 
      cue\` formats it as CUE with the CUE engine. Secret values (\`#Secret\` values, 
      fields named like passwords, tokens or keys, and every place they reach) are 
      printed as \`<masked>\` unless \`--show-secrets\`.

      Examples

      Show the evaluated module as YAML
        $ opm mod eval ./app

      See what a values file changes
        $ opm mod eval ./app -f prod.yaml -o json

      Print it as CUE
        $ opm mod eval ./app -o cue

      Include secret values
        $ opm mod eval ./app --show-secrets
      "
    `);
  });
});
