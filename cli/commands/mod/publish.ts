import { Command, Option } from "clipanion";
import { RegistryCommand } from "./registry-options.ts";
import { formatData, isDataFormat, outputOption } from "../../output/data.ts";

export class ModPublishCommand extends RegistryCommand {
  static override paths = [["mod", "publish"]];
  static override usage = Command.Usage({
    category: "Distribution commands",
    description: "publish a module version to its OCI registry, in CUE's module format",
    details: `
      Publishes the module at \`path\` (default \`.\`) as \`--version\` to the registry that serves
      its module path (\`--registry\`, OPM_REGISTRY, the config's registry or CUE_REGISTRY, in
      CUE_REGISTRY syntax). The artefact is exactly what \`cue mod publish\` writes, so \`cue\` users
      can depend on it.

      A TypeScript module is compiled to CUE first; the publish is refused when the compiled
      module does not render byte-identically to the TypeScript one with the module's values.
      Versions are strict SemVer (\`v1.2.3\`) whose major matches the module path's; an existing
      version is never replaced without \`--force\`. \`--sign-key\` signs the published manifest
      with a cosign key (verifiable with \`cosign verify --key\`).
    `,
    examples: [
      ["Publish the module here as v0.1.0", "$0 mod publish --version v0.1.0"],
      [
        "Publish to a local registry",
        "$0 mod publish ./app --version v1.0.0 --registry example.com=127.0.0.1:5000",
      ],
      ["Publish and sign", "$0 mod publish --version v1.0.1 --sign-key cosign.key"],
    ],
  });

  modulePath = Option.String({ required: false, name: "path" });
  version = Option.String("--version", { required: true, description: "the version to publish (vX.Y.Z)" });
  force = Option.Boolean("--force", false, { description: "replace the version when it exists" });
  signKey = Option.String("--sign-key", {
    description: "cosign private key (PEM) to sign the manifest with; password from COSIGN_PASSWORD",
  });
  output = outputOption(["text", "json", "yaml"], "text");

  async run(): Promise<number> {
    const { publishModule } = await import("../../distribution/publish.ts");
    const result = await publishModule(
      {
        path: this.modulePath ?? ".",
        version: this.version,
        force: this.force,
        signKey: this.signKey,
        flags: this.registryFlags(),
      },
      this.context.cwd,
      this.context.env,
      (line) => this.note(line),
    );
    if (isDataFormat(this.output)) this.context.stdout.write(await formatData(this.output, result));
    else {
      this.context.stdout.write(
        `published ${result.module}@${result.version} to ${result.reference}@${result.digest}\n`,
      );
      if (result.signature !== undefined) this.context.stdout.write(`signed: ${result.signature}\n`);
    }
    return 0;
  }
}
