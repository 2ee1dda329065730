// The module worker the bundled executable started before the CLI loaded (cli/start/prestart.ts),
// kept until a run takes it (runner.ts). Apart from runner.ts, so that handing it over at start-up
// initialises nothing else: a command that never runs module code never loads the runner.
import type { StartedWorker } from "./worker-start.ts";

let adopted: StartedWorker | undefined;

/**
 * Gives the next run a worker started earlier, instead of starting one. A run that needs no
 * module code leaves it.
 */
export function adoptModuleWorker(started: StartedWorker): void {
  adopted = started;
}

/** The adopted worker, once: the caller owns it from now on. */
export function takeAdoptedWorker(): StartedWorker | undefined {
  const taken = adopted;
  adopted = undefined;
  return taken;
}
