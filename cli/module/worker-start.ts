// Starting the thread a TypeScript module's code runs in (worker.ts), shared by the runner
// (runner.ts) and the bundled executable, which starts it before the CLI has loaded when a run
// will likely need it (cli/start/prestart.ts). Nothing here runs module code.
import { Worker } from "node:worker_threads";

type Env = Readonly<Record<string, string | undefined>>;

/** Sent once the worker listens, so start-up time is not counted against module code. */
export const WORKER_READY = "opm-module-worker-ready";

export interface StartedWorker {
  readonly worker: Worker;
  /** Settles when the worker listens; rejects when it fails or exits before that. */
  readonly ready: Promise<void>;
}

/** What a worker is told at its start. */
export interface WorkerStartData {
  /**
   * A TS module will run (the executable guessed so from the command line): evaluate the entries
   * every render uses while the CLI is still starting, instead of after its first request.
   */
  readonly warm: boolean;
}

export function startModuleWorker(
  entry: URL,
  env: Env,
  data: WorkerStartData = { warm: false },
): StartedWorker {
  const worker = new Worker(entry, {
    env: { ...env },
    workerData: data,
    // Not the CLI's own Node flags: `--input-type`, `-e` or a test runner's hooks break a worker.
    execArgv: [],
    stdout: true,
    stderr: true,
  });
  // A worker's failure is reported by the run using it; one that dies while idle or while being
  // stopped must not become an uncaught error of the CLI.
  worker.on("error", () => undefined);
  const ready = new Promise<void>((resolve, reject) => {
    const settle = (finish: () => void) => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      finish();
    };
    const onMessage = (message: unknown) => {
      if (message === WORKER_READY) settle(resolve);
    };
    const onError = (error: unknown) => settle(() => reject(error));
    const onExit = (code: number) =>
      settle(() => reject(new Error(`the module worker exited with code ${code} while starting`)));
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
  });
  // Whoever uses the worker awaits this; an unused worker's failure is nobody's error.
  ready.catch(() => undefined);
  return { worker, ready };
}
