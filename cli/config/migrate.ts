// `opm config update`: brings a config file written for an older schema to the current one,
// keeping the user's values. Older files are the upstream CLI's: they import the providers
// module (`provs.#Registry["kubernetes"]`, which needs a registry to evaluate), may put fields at
// the top level instead of under `config`, and carry `log.kubernetes.apiWarnings`, which the
// current #Config does not have. Fields the current schema lacks are dropped and reported.
import type { OpmConfig } from "./schema.ts";

export interface Migration {
  readonly config: OpmConfig;
  /** Dotted paths of fields that were dropped, for the report. */
  readonly dropped: readonly string[];
}

/** Removes imports of the providers module and replaces registry references by `{}`. */
export function detachProviderImports(text: string): string {
  const aliases: string[] = [];
  let out = text.replace(/^\s*import\s+(\w+)\s+"opmodel\.dev\/providers@v\d+"\s*$/gm, (_m, alias: string) => {
    aliases.push(alias);
    return "";
  });
  out = out.replace(
    /^(\s*)(\w+)\s+"opmodel\.dev\/providers@v\d+"\s*$/gm,
    (_m, _indent: string, alias: string) => {
      aliases.push(alias);
      return "";
    },
  );
  out = out.replace(/^\s*import\s*\(\s*\)\s*$/gm, "");
  for (const alias of aliases)
    out = out.replace(new RegExp(`\\b${alias}\\.#\\w+(\\[[^\\]]*\\])?`, "g"), "{}");
  return out;
}

const KNOWN: Readonly<Record<string, readonly string[] | "any">> = {
  registry: "any",
  cacheDir: "any",
  providers: "any",
  kubernetes: ["kubeconfig", "context", "namespace"],
  log: ["level", "timestamps"],
};

/** Keeps what the current schema knows; provider bodies become `{}` (built-in providers). */
export function migrateData(data: unknown): Migration {
  const root = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
  const source = (
    typeof root["config"] === "object" && root["config"] !== null ? root["config"] : root
  ) as Record<string, unknown>;
  const dropped: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    const known = KNOWN[key];
    if (known === undefined) {
      if (source !== root || key !== "config") dropped.push(key);
      continue;
    }
    if (key === "providers" && typeof value === "object" && value !== null) {
      config[key] = Object.fromEntries(Object.keys(value).map((name) => [name, {}]));
    } else if (known === "any" || typeof value !== "object" || value === null) {
      config[key] = value;
    } else {
      const kept: Record<string, unknown> = {};
      for (const [inner, innerValue] of Object.entries(value)) {
        if (known.includes(inner)) kept[inner] = innerValue;
        else dropped.push(`${key}.${inner}`);
      }
      config[key] = kept;
    }
  }
  return { config: config as OpmConfig, dropped: dropped.sort() };
}
