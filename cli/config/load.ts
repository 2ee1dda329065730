// Reads and checks the configuration file with the CUE engine (started only when the file
// exists). The check unifies the user's `config` with the catalog's `#Config` in one CUE package:
// the file itself plus an overlay holding the schema, so closedness holds ("field not allowed")
// and every issue points at the user's file:line:col.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { CueEngine } from "../../bridge/index.ts";
import { OpmError } from "../../sdk/errors.ts";
import { startCueEngine, type EngineSettings } from "../cue-engine.ts";
import { ProblemList } from "../errors/problem-list.ts";
import { selfPackage } from "../module/self.ts";
import type { OpmConfig } from "./schema.ts";
import type { Resolved } from "./settings.ts";

export interface LoadedConfig {
  readonly path: string;
  readonly exists: boolean;
  readonly config: OpmConfig;
  /** The file's text, for positions in errors about what it configures. */
  readonly text?: string;
}

const SCHEMA_FILE = "zz_opm_config_schema.cue";
const SCHEMA_NAME = "_#opmConfigSchema";

/** Engines for config work when the caller gives no settings (tests, library-like use). */
const NO_SETTINGS: EngineSettings = {};

async function withEngine<T>(settings: EngineSettings, work: (engine: CueEngine) => Promise<T>): Promise<T> {
  const engine = await startCueEngine(settings);
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

/** The catalog's #Config as self-contained CUE source, named SCHEMA_NAME. */
async function schemaSource(engine: CueEngine): Promise<string> {
  const core = await engine.load({ dir: join(selfPackage().root, "catalog", "cue", "core") });
  const schema = await engine.lookup(core.value, "#Config");
  if (schema === undefined) throw new Error("the catalog has no #Config");
  const text = await engine.eval(schema);
  return text.replaceAll("_#def", SCHEMA_NAME);
}

/** Evaluates and checks a config file; throws every problem at once. */
export async function checkConfigFile(
  path: string,
  text: string,
  engineSettings: EngineSettings = NO_SETTINGS,
): Promise<OpmConfig> {
  return withEngine(engineSettings, async (engine) => {
    const dir = dirname(path);
    const schema = await schemaSource(engine);
    const imports = schema.match(/^import .*$/gm) ?? [];
    const body = schema.replace(/^import .*$/gm, "");
    const packageName = /^package\s+(\w+)/m.exec(text)?.[1];
    if (packageName === undefined) {
      throw new OpmError("ConfigInvalid", {
        message: `${path} has no package clause`,
        locations: [{ file: path, line: 1, column: 1 }],
        hint: "start the file with `package config` (or run `opm config update`)",
      });
    }
    const overlay: Record<string, string> = {
      [path]: text,
      [join(dir, SCHEMA_FILE)]:
        `package ${packageName}\n\n${imports.join("\n")}\n\nconfig: ${SCHEMA_NAME}\n${body}\n`,
    };
    if (!existsSync(join(dir, "cue.mod", "module.cue"))) {
      overlay[join(dir, "cue.mod", "module.cue")] =
        `module: "opmodel.dev/config@v0"\nlanguage: version: "v0.15.0"\n`;
    }
    const instance = await engine.load({ dir, package: packageName, overlay }).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      throw new OpmError("ConfigInvalid", {
        message: `${path} does not load: ${message}`,
        hint: "a config written for an older opm imports modules; migrate it with `opm config update`",
        cause: error,
      });
    });
    const report = await engine.validate(instance.value, { concrete: true });
    if (!report.ok) {
      const problems = collapseDisjunctions(report.issues).map(
        (issue) =>
          new OpmError("ConfigInvalid", {
            message: `${issue.path}: ${issue.message}`,
            locations: issue.positions
              .map((p) => ({ ...p, file: resolve(dir, p.file) }))
              .filter((p) => p.file === path),
            hint: "fix the configuration (fields and types are those of #Config in opmodel.dev/core@v0)",
          }),
      );
      throw new ProblemList(problems, `${problems.length} problems in ${path}`);
    }
    const config = await engine.lookup(instance.value, "config");
    return (config === undefined ? {} : await engine.export(config)) as OpmConfig;
  });
}

type Issue = {
  path: string;
  message: string;
  positions: readonly { file: string; line: number; column: number }[];
};

/**
 * CUE reports a failed disjunction (`"debug" | "info" | ...`) as one summary plus one conflict per
 * alternative; users need one line: the value given and the alternatives it matches none of.
 */
function collapseDisjunctions(issues: readonly Issue[]): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    if (/errors in empty disjunction/.test(issue.message)) continue;
    const conflict = /^conflicting values (\S+) and (\S+)/.exec(issue.message);
    const summary = issues.some(
      (i) => i.path === issue.path && /errors in empty disjunction/.test(i.message),
    );
    if (summary && conflict !== null) {
      const alternatives = issues
        .filter((i) => i.path === issue.path)
        .map((i) => /^conflicting values (\S+) and/.exec(i.message)?.[1])
        .filter((a): a is string => a !== undefined);
      if (out.some((o) => o.path === issue.path)) continue;
      out.push({ ...issue, message: `${conflict[2]} is not one of ${alternatives.join(", ")}` });
      continue;
    }
    out.push(issue);
  }
  return out;
}

/** Loads the config when the file exists; a missing file means defaults everywhere. */
export async function loadConfig(
  path: Resolved<string>,
  engineSettings: EngineSettings = NO_SETTINGS,
): Promise<LoadedConfig> {
  const file = path.value;
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text !== undefined)
    return { path: file, exists: true, config: await checkConfigFile(file, text, engineSettings), text };
  // Only the default location may be absent; a file the user named must exist.
  if (path.source !== "default") {
    throw new OpmError("ConfigNotFound", {
      message: `configuration file ${file} (from ${path.source === "flag" ? "--config" : "OPM_CONFIG"}) does not exist`,
      hint: "check the path, or create the file with `opm config init`",
    });
  }
  return { path: file, exists: false, config: {} };
}

/** CUE source for data (used by `config update` to write the migrated values). */
export async function cueFromData(
  data: unknown,
  engineSettings: EngineSettings = NO_SETTINGS,
): Promise<string> {
  return withEngine(engineSettings, (engine) => engine.fromJSON(JSON.stringify(data)));
}

/** Evaluates a CUE text on its own (no imports resolved) and returns its data. */
export async function evaluateCue(
  path: string,
  text: string,
  engineSettings: EngineSettings = NO_SETTINGS,
): Promise<unknown> {
  return withEngine(engineSettings, async (engine) =>
    engine.export(await engine.compile(text, { filename: path })),
  );
}
