// Builds and runs the `opm` command tree. runCli never exits the process and never throws: it
// returns the exit code, so tests run the CLI in-process with injected streams.
import { Builtins, Command, type BaseContext, type Cli, type CommandClass } from "clipanion";
import { VERSION } from "../sdk/version.ts";
import { EXIT_CODE } from "./commands/base.ts";
import { commands } from "./commands/index.ts";
import type { CliIo, OpmContext } from "./context.ts";
import { presentError } from "./errors/present.ts";
import { OpmCli } from "./help.ts";
import { explainSyntaxError } from "./suggest.ts";
import { colorsWanted, createStyle } from "./output/style.ts";

// The bundled executable hands the CLI a module worker it started early (cli/start/prestart.ts).
export { adoptModuleWorker } from "./module/prestarted.ts";

/** `opm --version` inside the CLI (bin.ts answers it before loading clipanion). */
class PrintVersionCommand extends Command<OpmContext> {
  static override paths = [["--version"], ["-V"]];
  async execute(): Promise<number> {
    this.context.stdout.write(`${VERSION}\n`);
    return 0;
  }
}

/**
 * The command classes whose path the arguments start with (`mod build` for `opm mod build . -f
 * x`), loaded, or undefined when none is named. Parsing compiles a state machine over every
 * registered command, and loading a command initialises everything its module imports: a run
 * that names its command needs only that one.
 */
async function commandsNamedBy(argv: readonly string[]): Promise<CommandClass<OpmContext>[] | undefined> {
  const named = commands.filter(({ path }) => path.every((word, i) => argv[i] === word));
  return named.length > 0 ? Promise.all(named.map((entry) => entry.load())) : undefined;
}

function newCli(colored: boolean): Cli<OpmContext> {
  return new OpmCli({
    binaryLabel: "Open Platform Model",
    binaryName: "opm",
    binaryVersion: VERSION,
    // Decided by runCli from flags, NO_COLOR/FORCE_COLOR and the TTY; clipanion would otherwise
    // look at the real process's streams, which are not the ones we write to.
    enableColors: colored,
  });
}

/** Builds the whole command tree (every command loaded), e.g. to generate docs from it. */
export async function buildCli(options: { readonly colored?: boolean } = {}): Promise<Cli<OpmContext>> {
  const cli = newCli(options.colored ?? false);
  cli.register(Builtins.HelpCommand);
  cli.register(PrintVersionCommand);
  for (const command of await Promise.all(commands.map((entry) => entry.load()))) cli.register(command);
  return cli;
}

/** Runs `opm` with the given arguments and streams; returns the exit code instead of exiting. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const colorFlag = argv.includes("--no-color") ? false : argv.includes("--color") ? true : undefined;
  const colored = colorsWanted(io.env, io.stdout, colorFlag);
  const named = await commandsNamedBy(argv);
  let cli: Cli<OpmContext>;
  if (named === undefined) cli = await buildCli({ colored });
  else {
    cli = newCli(colored);
    for (const command of named) cli.register(command);
  }
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
      cli = await buildCli({ colored });
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
