// CUE modules kept loaded between a controller's renders. A controller renders the same module
// for many releases and again on every interval; loading it (its packages and the catalog they
// import) in a fresh engine was most of each render's engine time and a process start. Here one
// engine holds each module once, and a render only fills in its values. The engine answers one
// request at a time, so concurrent renders can share a loaded module. A module's directory is
// named by its content digest (inline and pulled modules alike), so what a key holds never
// changes; the least recently used modules are let go beyond a bound.
import { isCueEngineError, type CueEngine } from "../../../bridge/index.ts";
import { startCueEngine, type EngineSettings } from "../../cue-engine.ts";
import { loadModuleIn, type LoadedModule } from "../../module/load.ts";
import type { CueModuleLoader } from "../../module/pipeline.ts";

/** Modules kept loaded at once; a controller usually renders a handful of modules. */
const MAX_MODULES = 32;

/** Engine failures after which kept modules cannot be trusted. */
const ENGINE_FAILURES: ReadonlySet<string> = new Set([
  "HandleInvalidated",
  "UnknownHandle",
  "Closed",
  "EngineCrashed",
  "Timeout",
  "MemoryLimit",
]);
/** Those a render run again, in a fresh engine, may well not meet. */
const STATE_LOST: ReadonlySet<string> = new Set([
  "HandleInvalidated",
  "UnknownHandle",
  "Closed",
  "EngineCrashed",
]);

interface Kept {
  readonly loaded: Promise<LoadedModule>;
  /** The engine process the module was loaded in: its values live there only. */
  pid?: number | undefined;
  users: number;
  evicted: boolean;
}

export class CueModuleCache {
  private engine: Promise<CueEngine> | undefined;
  /** In order of last use, oldest first. */
  private readonly kept = new Map<string, Kept>();
  private readonly settings: EngineSettings;
  private readonly max: number;

  constructor(settings: EngineSettings, max = MAX_MODULES) {
    this.settings = settings;
    this.max = max;
  }

  /** The loader a render takes (`RenderRequest.loadCueModule`). */
  readonly load: CueModuleLoader = async (location, registry) => {
    const key = `${registry ?? ""}\0${location.dir}`;
    let entry = this.kept.get(key);
    if (entry === undefined) {
      const engine = (this.engine ??= startCueEngine(this.settings));
      const fresh: Kept = {
        loaded: engine.then(async (e) => {
          const loaded = await loadModuleIn(e, location, registry);
          fresh.pid = e.pid;
          return loaded;
        }),
        users: 0,
        evicted: false,
      };
      entry = fresh;
      // A module that does not load is not kept: the next render reports it afresh.
      entry.loaded.catch(() => this.kept.get(key) === entry && this.kept.delete(key));
    }
    this.kept.delete(key);
    this.kept.set(key, entry);
    entry.users++;
    const kept = entry;
    let loaded: LoadedModule;
    try {
      loaded = await kept.loaded;
    } catch (error) {
      kept.users--;
      throw error;
    }
    this.trim();
    let closed = false;
    return {
      module: loaded.module,
      engine: loaded.engine,
      close: async () => {
        if (closed) return;
        closed = true;
        kept.users--;
        if (kept.evicted && kept.users === 0) await loaded.close();
      },
    };
  };

  /**
   * After a render failed: when the engine failed (it crashed or restarted, so the kept modules'
   * values are gone; it closed; a request outlived its bound), everything kept is let go and the
   * engine stopped, so the next render loads afresh. True when that render may simply run again
   * (the engine lost its state, not its patience).
   */
  async forgetIfEngineFailed(error: unknown): Promise<boolean> {
    const engine = this.engine;
    const pid = (await engine?.catch(() => undefined))?.pid;
    // The render reports an engine failure in its own words (OPM2005 ...): the process tells.
    const restarted = [...this.kept.values()].some((k) => k.pid !== undefined && k.pid !== pid);
    const reasons = engineReasons(error);
    if (!restarted && !reasons.some((r) => ENGINE_FAILURES.has(r))) return false;
    if (this.engine === engine) {
      this.engine = undefined;
      this.kept.clear();
      void engine?.then((e) => e.close()).catch(() => undefined);
    }
    return restarted || reasons.some((r) => STATE_LOST.has(r));
  }

  /** Lets every module go and stops the engine. */
  async close(): Promise<void> {
    const engine = this.engine;
    this.engine = undefined;
    this.kept.clear();
    await (await engine?.catch(() => undefined))?.close();
  }

  private trim(): void {
    for (const [key, entry] of this.kept) {
      if (this.kept.size <= this.max) return;
      if (entry.users > 0) continue;
      this.kept.delete(key);
      entry.evicted = true;
      void entry.loaded.then((l) => l.close()).catch(() => undefined);
    }
  }
}

/** The engine's reasons anywhere in an error: itself, its problems, their causes. */
function engineReasons(error: unknown, depth = 0): string[] {
  if (typeof error !== "object" || error === null || depth > 4) return [];
  const own = isCueEngineError(error) ? [error.reason] : [];
  const problems = (error as { problems?: unknown }).problems;
  const nested = [...(Array.isArray(problems) ? problems : []), (error as { cause?: unknown }).cause];
  return [...own, ...nested.flatMap((e) => engineReasons(e, depth + 1))];
}
