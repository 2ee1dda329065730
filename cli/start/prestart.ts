// Starts the module worker at the top of a run that will likely need it, in parallel with the
// CLI's own start-up (part of the bundled executable, bundled-main.ts): a worker thread's start
// (a fresh V8 isolate, Node's bootstrap, the worker's code) otherwise waits until the CLI has
// loaded, read its config and found the module. The guess is cheap and only a guess: a render
// command whose path (or the working directory) holds a `*.opm.ts` module. The CLI takes the
// worker when it needs one (runner.ts); a wrong guess only costs the idle worker's start, and a
// CUE module, which never needs one, is not guessed.
import { readdirSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { startModuleWorker, type StartedWorker } from "../module/worker-start.ts";
import { commandTag } from "./code-cache.ts";

type Env = Readonly<Record<string, string | undefined>>;

const RENDERING = new Set(["mod-build", "mod-vet", "mod-eval", "mod-apply", "mod-diff"]);
const TS_MODULE = ".opm.ts";

/** What a path names: a TS module, a CUE module, or neither (not a module directory or file). */
function moduleKind(path: string): "ts" | "cue" | undefined {
  if (path.endsWith(TS_MODULE)) return "ts";
  try {
    if (!statSync(path).isDirectory()) return undefined;
    const names = readdirSync(path);
    if (names.some((name) => name.endsWith(TS_MODULE))) return "ts";
    return names.includes("cue.mod") ? "cue" : undefined;
  } catch {
    return undefined;
  }
}

/** True when `argv` renders a module that is a TypeScript module, as far as a glance can tell. */
export function likelyTypeScriptModule(argv: readonly string[], cwd: string): boolean {
  if (!RENDERING.has(commandTag(argv)) || argv.includes("--help") || argv.includes("-h")) return false;
  // Any word may be the path (option values are words too); the first that names a module decides.
  for (const word of argv.slice(2)) {
    if (word.startsWith("-") || word.includes("@")) continue;
    const kind = moduleKind(resolve(cwd, word));
    if (kind !== undefined) return kind === "ts";
  }
  return moduleKind(cwd) === "ts";
}

/** The module worker, started now when the run will likely need it; it keeps no run alive. */
export function prestartModuleWorker(
  argv: readonly string[],
  cwd: string,
  entry: URL,
  env: Env,
): StartedWorker | undefined {
  if (!likelyTypeScriptModule(argv, cwd)) return undefined;
  const started = startModuleWorker(entry, env, { warm: true });
  started.worker.unref();
  return started;
}
