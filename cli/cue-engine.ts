// Every CUE engine the CLI starts comes from here, so all of them get the same environment (the
// native child inherits it; the wasm engine needs HOME for its module cache), the same choice of
// build (OPM_CUE_ENGINE) and the same verbose notices (falling back to the wasm engine).
import type { CueEngine, CueEngineOptions } from "../bridge/index.ts";
import { OpmError } from "../sdk/errors.ts";

type Env = Readonly<Record<string, string | undefined>>;

export interface EngineSettings {
  /** The command's environment; undefined lets a native engine inherit the process's. */
  readonly env?: Env | undefined;
  /** Where `-v` notices go; undefined when not verbose. */
  readonly notice?: ((line: string) => void) | undefined;
}

const KINDS = ["auto", "native", "wasm"] as const;

/** OPM_CUE_ENGINE: `auto` (native, else wasm), `native` or `wasm`. */
export function engineKind(env: Env = {}): (typeof KINDS)[number] {
  const wanted = env["OPM_CUE_ENGINE"];
  if (wanted === undefined || wanted === "") return "auto";
  if ((KINDS as readonly string[]).includes(wanted)) return wanted as (typeof KINDS)[number];
  throw new OpmError("Usage", {
    message: `OPM_CUE_ENGINE=${wanted} is not an engine`,
    hint: `use one of ${KINDS.join(", ")}`,
  });
}

export function engineOptions(settings: EngineSettings, extra: CueEngineOptions = {}): CueEngineOptions {
  return {
    engine: engineKind(settings.env),
    ...(settings.env === undefined ? {} : { env: settings.env }),
    ...(settings.notice === undefined ? {} : { onNotice: settings.notice }),
    ...extra,
  };
}

/** A CUE engine for one command; the caller closes it. The bridge loads on first use. */
export async function startCueEngine(
  settings: EngineSettings,
  extra: CueEngineOptions = {},
): Promise<CueEngine> {
  const { createCueEngine } = await import("../bridge/index.ts");
  return createCueEngine(engineOptions(settings, extra));
}

/**
 * Which engine build answered this run and why, for `-v` (call after a request, so an `auto`
 * engine has settled): OPM_CUE_ENGINE's choice, the native build for this platform, or the wasm
 * build that took over because the native one could not start.
 */
export function engineSetting(
  engine: CueEngine,
  env: Env = {},
): { value: string; source: "env" | "default"; shadowed: [] } {
  const wanted = engineKind(env);
  const platform = `${process.platform}-${process.arch}`;
  if (wanted !== "auto")
    return { value: `${engine.kind} (OPM_CUE_ENGINE=${wanted})`, source: "env", shadowed: [] };
  const value =
    engine.kind === "native"
      ? `native (${platform})`
      : `wasm (the native engine for ${platform} cannot start)`;
  return { value, source: "default", shadowed: [] };
}
