// Builds and runs the `opm` command tree. runCli never exits the process and never throws: it
// returns the exit code, so tests run the CLI in-process with injected streams.
import { Builtins, Command, type BaseContext, type Cli } from "clipanion";
import { VERSION } from "../sdk/version.ts";
import { EXIT_CODE } from "./commands/base.ts";
import { commands } from "./commands/index.ts";
import type { CliIo, OpmContext } from "./context.ts";
import { presentError } from "./errors/present.ts";
import { OpmCli } from "./help.ts";
import { explainSyntaxError } from "./suggest.ts";
import { colorsWanted, createStyle } from "./output/style.ts";

// The bundled executable hands the CLI a module worker it started early (cli/start/prestart.ts).
export { adoptModuleWorker } from "./module/runner.ts";

/** `opm --version` inside the CLI (bin.ts answers it before loading clipanion). */
class PrintVersionCommand extends Command<OpmContext> {
  static override paths = [["--version"], ["-V"]];
  async execute(): Promise<number> {
    this.context.stdout.write(`${VERSION}\n`);
    return 0;
  }
}

/**
 * The commands one of whose paths the arguments start with (`mod build` for `opm mod build . -f
 * x`), or undefined when none does. Parsing compiles a state machine over every registered
 * command, which cost more than the rest of a build's start-up; a run that names its command
 * needs only that one.
 */
function commandsNamedBy(argv: readonly string[]): (typeof commands)[number][] | undefined {
  const named = commands.filter((command) =>
    (command.paths ?? []).some((path) => path.length > 0 && path.every((word, i) => argv[i] === word)),
  );
  return named.length > 0 ? named : undefined;
}

/** Builds the command tree; kept separate from running it so docs can be generated from it. */
export function buildCli(
  options: { readonly colored?: boolean; readonly only?: readonly (typeof commands)[number][] } = {},
): Cli<OpmContext> {
  const cli = new OpmCli({
    binaryLabel: "Open Platform Model",
    binaryName: "opm",
    binaryVersion: VERSION,
    // Decided by runCli from flags, NO_COLOR/FORCE_COLOR and the TTY; clipanion would otherwise
    // look at the real process's streams, which are not the ones we write to.
    enableColors: options.colored ?? false,
  });
  if (options.only !== undefined) {
    for (const command of options.only) cli.register(command);
    return cli;
  }
  cli.register(Builtins.HelpCommand);
  cli.register(PrintVersionCommand);
  for (const command of commands) cli.register(command);
  return cli;
}

/** Runs `opm` with the given arguments and streams; returns the exit code instead of exiting. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const colorFlag = argv.includes("--no-color") ? false : argv.includes("--color") ? true : undefined;
  const colored = colorsWanted(io.env, io.stdout, colorFlag);
  const named = commandsNamedBy(argv);
  let cli = buildCli({ colored, ...(named === undefined ? {} : { only: named }) });
  const context: OpmContext = {
    stdin: io.stdin as BaseContext["stdin"],
    stdout: io.stdout as BaseContext["stdout"],
    stderr: io.stderr as BaseContext["stderr"],
    env: io.env,
    cwd: io.cwd ?? process.cwd(),
    colorDepth: colored ? 8 : 1,
  };
  if (argv.length === 0) {
    io.stdout.write(cli.usage(null, { colored }));
    return 0;
  }
  let command: Command<OpmContext>;
  try {
    try {
      command = cli.process(argv, context);
    } catch (error) {
      if (named === undefined) throw error;
      // Suggestions ("did you mean ...") and usage errors are worded against every command.
      cli = buildCli({ colored });
      command = cli.process(argv, context);
    }
  } catch (error) {
    // Parse errors (unknown command or flag) go to stderr like every other error, with the
    // nearest command or flag as a suggestion instead of every usage clipanion knows.
    const errColored = colorsWanted(io.env, io.stderr, colorFlag);
    const { text, exitCode } = presentError(explainSyntaxError(error, cli, argv), {
      style: createStyle(errColored),
      debug: false,
    });
    io.stderr.write(text);
    return exitCode;
  }
  const code = await cli.run(command, context);
  return (command as Command<OpmContext> & { [EXIT_CODE]?: number })[EXIT_CODE] ?? code;
}
