import { Command, Option } from "clipanion";
import { OpmCommand } from "../base.ts";

export class RegistryLoginCommand extends OpmCommand {
  static override paths = [["registry", "login"]];
  static override usage = Command.Usage({
    category: "Distribution commands",
    description: "store credentials for a registry in Docker's config.json",
    details: `
      Checks the credentials against the registry, then stores them where Docker, cue, oras and
      helm read them: \`$DOCKER_CONFIG/config.json\` (default \`~/.docker/config.json\`, mode
      0600), or the credential helper configured for the host (\`credHelpers\`/\`credsStore\`).
      The password is read from stdin with \`--password-stdin\`; it never appears in output.
    `,
    examples: [
      [
        "Log in, password from a file",
        "cat pw.txt | $0 registry login registry.example.com -u me --password-stdin",
      ],
      [
        "A local registry with a private CA",
        "$0 registry login 127.0.0.1:5000 -u me --password-stdin --ca-file ca.pem",
      ],
    ],
  });

  host = Option.String({ required: true, name: "host[:port]" });
  username = Option.String("-u,--username", { required: true, description: "user name" });
  passwordStdin = Option.Boolean("--password-stdin", false, { description: "read the password from stdin" });
  password = Option.String("-p,--password", {
    description: "the password (prefer --password-stdin: arguments are visible to other users)",
  });
  caFile = Option.String("--ca-file", {
    description: "PEM file of CA certificates to trust (env OPM_REGISTRY_CA)",
  });
  insecure = Option.Boolean("--insecure", false, {
    description: "speak plain HTTP to the registry (default HTTPS, also on loopback)",
  });

  async run(): Promise<number> {
    const { login } = await import("../../distribution/login.ts");
    const stored = await login(
      {
        host: this.host,
        username: this.username,
        password: this.password,
        passwordStdin: this.passwordStdin,
        caFile: this.caFile,
        insecure: this.insecure,
      },
      this.context.stdin,
      this.context.cwd,
      this.context.env,
    );
    this.context.stdout.write(`Login succeeded: ${this.host} (stored in ${stored})\n`);
    return 0;
  }
}
