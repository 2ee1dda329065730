// Resolves every setting with kubectl-like precedence, flag > env (OPM_*) > config file >
// default, and records where each value came from and what it shadowed, so `--verbose` can
// explain the result. The namespace adds the module's defaultNamespace and the kubeconfig
// context's namespace (docs/architecture.md, decision 3).
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { OpmConfig } from "./schema.ts";

export type SettingSource = "flag" | "env" | "module" | "config" | "config-auto" | "kubeconfig" | "default";

export interface Resolved<T> {
  readonly value: T;
  readonly source: SettingSource;
  /** Lower-precedence candidates that were set but lost. */
  readonly shadowed: readonly { readonly source: SettingSource; readonly value: T }[];
}

type Candidate<T> = readonly [SettingSource, T | undefined];

/** The first candidate with a value wins; the others that had one are recorded as shadowed. */
export function pick<T>(candidates: readonly Candidate<T>[], fallback: Candidate<T>): Resolved<T> {
  const present = candidates.filter(
    (c): c is readonly [SettingSource, T] => c[1] !== undefined && c[1] !== "",
  );
  const [winner, ...rest] = present;
  // The default is what is left when nothing is set, so it never counts as shadowed.
  if (winner === undefined) return { value: fallback[1] as T, source: fallback[0], shadowed: [] };
  return {
    value: winner[1],
    source: winner[0],
    shadowed: rest.map(([source, value]) => ({ source, value })),
  };
}

export function expandHome(path: string, env: Readonly<Record<string, string | undefined>>): string {
  if (path === "~" || path.startsWith("~/")) return join(env["HOME"] ?? homedir(), path.slice(1));
  return path;
}

export function configPath(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  // Relative --config / OPM_CONFIG paths start here.
  cwd: string = process.cwd(),
): Resolved<string> {
  const home = env["HOME"] ?? homedir();
  const resolved = pick<string>(
    [
      ["flag", flag],
      ["env", env["OPM_CONFIG"]],
    ],
    ["default", join(home, ".opm", "config.cue")],
  );
  return { ...resolved, value: resolve(cwd, expandHome(resolved.value, env)) };
}

export interface KubeSettings {
  readonly kubeconfig: Resolved<string>;
  readonly context: Resolved<string | undefined>;
}

/** `--kubeconfig` > OPM_KUBECONFIG > config > KUBECONFIG (a list, merged) > ~/.kube/config. */
export function kubeSettings(
  flags: { readonly kubeconfig?: string | undefined; readonly context?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
  config: OpmConfig,
): KubeSettings {
  const kubeconfig = pick<string>(
    [
      ["flag", flags.kubeconfig],
      ["env", env["OPM_KUBECONFIG"]],
      ["config", config.kubernetes?.kubeconfig],
      ["env", env["KUBECONFIG"]],
    ],
    ["default", "~/.kube/config"],
  );
  const context = pick<string | undefined>(
    [
      ["flag", flags.context],
      ["env", env["OPM_CONTEXT"]],
      ["config", config.kubernetes?.context],
    ],
    ["kubeconfig", undefined],
  );
  return { kubeconfig, context };
}

/** `-n` > OPM_NAMESPACE > module defaultNamespace > config > kube context namespace > `default`. */
export function namespaceSetting(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  moduleDefault: string | undefined,
  config: OpmConfig,
  contextNamespace: string | undefined,
): Resolved<string> {
  return pick<string>(
    [
      ["flag", flag],
      ["env", env["OPM_NAMESPACE"]],
      ["module", moduleDefault],
      ["config", config.kubernetes?.namespace],
      ["kubeconfig", contextNamespace],
    ],
    ["default", "default"],
  );
}

/** `--provider` > OPM_PROVIDER > the single configured provider > `kubernetes`. */
export function providerSetting(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  config: OpmConfig,
): Resolved<string> & { readonly configured: readonly string[] } {
  const configured = Object.keys(config.providers ?? {}).sort();
  const auto = configured.length === 1 ? configured[0] : undefined;
  const resolved = pick<string>(
    [
      ["flag", flag],
      ["env", env["OPM_PROVIDER"]],
      ["config-auto", auto],
    ],
    ["default", "kubernetes"],
  );
  return { ...resolved, configured };
}

/** One line per setting for `--verbose`: `namespace = web (flag; shadows config: default)`. */
export function describeSettings(settings: Readonly<Record<string, Resolved<unknown>>>): string[] {
  return Object.entries(settings).map(([name, setting]) => {
    const shown = setting.value === undefined ? "(none)" : String(setting.value);
    const shadows = setting.shadowed.map((s) => `${s.source}: ${String(s.value)}`).join(", ");
    return `${name} = ${shown} (${setting.source}${shadows === "" ? "" : `; shadows ${shadows}`})`;
  });
}

/** The CUE registry (CUE_REGISTRY syntax): --registry > OPM_REGISTRY > config > CUE_REGISTRY. */
export function registrySetting(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  config: OpmConfig,
): Resolved<string | undefined> {
  return pick<string | undefined>(
    [
      ["flag", flag],
      ["env", env["OPM_REGISTRY"]],
      ["config", config.registry],
      ["env", env["CUE_REGISTRY"]],
    ],
    ["default", undefined],
  );
}
