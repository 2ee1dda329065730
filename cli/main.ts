import { Builtins, Cli } from "clipanion";
import { VERSION } from "../sdk/version.ts";
import { VersionCommand } from "./commands/version.ts";
import type { CliIo, OpmContext } from "./context.ts";

/** Builds the command tree; kept separate from running it so docs can be generated from it. */
export function buildCli(): Cli<OpmContext> {
  const cli = new Cli<OpmContext>({
    binaryLabel: "Open Platform Model",
    binaryName: "opm",
    binaryVersion: VERSION,
  });
  cli.register(Builtins.HelpCommand);
  cli.register(Builtins.VersionCommand);
  cli.register(VersionCommand);
  return cli;
}

function colorsWanted(io: CliIo): boolean {
  if (io.env["NO_COLOR"] !== undefined && io.env["NO_COLOR"] !== "") return false;
  const force = io.env["FORCE_COLOR"];
  if (force !== undefined) return force !== "0" && force !== "false";
  return Boolean((io.stdout as { isTTY?: boolean }).isTTY);
}

/** Runs `opm` with the given arguments and streams; returns the exit code instead of exiting. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const cli = buildCli();
  return cli.run(argv, {
    stdin: io.stdin as OpmContext["stdin"],
    stdout: io.stdout as OpmContext["stdout"],
    stderr: io.stderr as OpmContext["stderr"],
    env: io.env,
    colorDepth: colorsWanted(io) ? 8 : 1,
  });
}
