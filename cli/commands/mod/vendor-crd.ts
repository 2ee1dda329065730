import { Command, Option } from "clipanion";
import { requestTimeoutOption } from "./cluster-common.ts";
import { KubeCommand } from "../base.ts";

export class ModVendorCrdCommand extends KubeCommand {
  static override paths = [["mod", "vendor", "crd"]];
  static override usage = Command.Usage({
    category: "Module commands",
    description: "generate CUE definitions and TS types from CustomResourceDefinitions",
    details: `
      Reads CustomResourceDefinitions from files or URLs (\`-f\`, repeatable; other objects in the
      files are skipped) or from the cluster (\`--from-cluster <name>\`, repeatable) and writes, for
      every served version, a CUE definition \`#<Kind>\` to
      \`<cue-out>/<group>/<plural>/<version>/types_gen.cue\` (package \`<version>\`), and one TS file
      per CRD to \`<ts-out>/<group>/<plural>.ts\` with an interface and a builder per version.
      Everything is read and converted before anything is written.

      Handled shapes: required fields, enums, defaults, bounds and patterns, int-or-string,
      \`x-kubernetes-preserve-unknown-fields\` (open structs), \`additionalProperties\` (maps),
      embedded resources, \`oneOf\`/\`anyOf\` of typed branches (disjunctions; branches that only
      require fields constrain values, not the shape), nullable fields, and CRDs without a schema.
    `,
    examples: [
      ["Vendor the CRDs of a file", "$0 mod vendor crd -f crds.yaml"],
      ["Vendor an installed CRD", "$0 mod vendor crd --from-cluster certificates.cert-manager.io"],
      [
        "CUE only, into another folder",
        "$0 mod vendor crd -f https://example.com/crds.yaml --cue-out gen --no-ts",
      ],
    ],
  });

  files = Option.Array("-f,--file", [], { description: "CRD file or http(s) URL, repeatable" });
  fromCluster = Option.Array("--from-cluster", [], {
    description: "name of a CRD installed in the cluster, repeatable",
  });
  cueOut = Option.String("--cue-out", "cue.mod/gen", { description: "directory for the CUE definitions" });
  tsOut = Option.String("--ts-out", "crds", { description: "directory for the TS types" });
  ts = Option.Boolean("--ts", true, { description: "write TS types (--no-ts to skip)" });
  requestTimeout = requestTimeoutOption();

  async run(): Promise<number> {
    const { crdsOf, readSource, vendorFiles, writeVendored } =
      await import("../../distribution/vendor-crd.ts");
    if (this.files.length === 0 && this.fromCluster.length === 0) {
      const error = new Error("name CRDs with -f <file|url> or --from-cluster <name>");
      Object.assign(error, { clipanion: { type: "usage" } });
      throw error;
    }
    const inputs = [];
    for (const file of this.files) inputs.push(await readSource(file, this.context.cwd));
    if (this.fromCluster.length > 0) {
      const { connect } = await import("./cluster-common.ts");
      const client = await connect(this.target(), this.requestTimeout);
      try {
        for (const name of this.fromCluster) {
          const object = await client.json(
            "GET",
            `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(name)}`,
            `reading CRD ${name}`,
          );
          inputs.push({ source: `cluster:${name}`, object });
        }
      } finally {
        client.close();
      }
    }
    const crds = await crdsOf(inputs);
    const { startCueEngine } = await import("../../cue-engine.ts");
    const engine = await startCueEngine({ env: this.context.env });
    try {
      const files = await vendorFiles(crds, this.cueOut, this.ts ? this.tsOut : undefined, (text) =>
        engine.format(text),
      );
      await writeVendored(files, this.context.cwd);
      for (const file of files) this.context.stdout.write(`${file.path}\n`);
      this.note(
        `vendored ${crds.length} CRDs (${crds.reduce((n, c) => n + c.crd.versions.length, 0)} versions)`,
      );
    } finally {
      await engine.close();
    }
    return 0;
  }
}
