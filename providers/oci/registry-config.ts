// CUE_REGISTRY: which registry serves which module paths, in CUE's syntax, so `opm` and `cue`
// resolve a module to the same place. A comma-separated list of `prefix=registry` entries and at
// most one bare `registry` (the default); a registry is `host[:port][/repository-prefix]`, with
// `+insecure` (plain HTTP) or `+secure`; `none` serves nothing. Loopback hosts default to plain
// HTTP as in CUE. The longest matching module-path prefix wins (whole path elements only).
import { isLoopback } from "./client.ts";
import { OciError } from "./errors.ts";
import { checkRepository } from "./reference.ts";

/** One registry of a CUE_REGISTRY setting: a host and a repository prefix inside it. */
export interface RegistryLocation {
  /** The registry's `host[:port]`. */
  readonly host: string;
  /** Repository prefix inside the registry, e.g. `team/cue` ("" for none). */
  readonly prefix: string;
  /** True to speak plain HTTP (`+insecure`, or a loopback host without `+secure`). */
  readonly insecure: boolean;
}

/** A parsed CUE_REGISTRY setting: which registry serves which module paths. */
export interface RegistryConfig {
  /** Module-path prefix → registry (`undefined` for `none`). */
  readonly entries: ReadonlyMap<string, RegistryLocation | undefined>;
  /**
   * The registry for module paths no entry matches (`registry.cue.works` unless the setting names
   * another); `undefined` for `none`.
   */
  readonly fallback: RegistryLocation | undefined;
  /** The setting as given (or CUE's default), for messages. */
  readonly text: string;
}

/** CUE's default when nothing is configured. */
export const DEFAULT_CUE_REGISTRY = "registry.cue.works";

function parseLocation(text: string, whole: string): RegistryLocation | undefined {
  if (text === "none") return undefined;
  let rest = text;
  let insecure: boolean | undefined;
  if (rest.endsWith("+insecure")) {
    insecure = true;
    rest = rest.slice(0, -"+insecure".length);
  } else if (rest.endsWith("+secure")) {
    insecure = false;
    rest = rest.slice(0, -"+secure".length);
  }
  const slash = rest.indexOf("/");
  const host = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? "" : rest.slice(slash + 1).replace(/\/+$/, "");
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(host) && !/^\[[0-9a-fA-F:]+\](:\d+)?$/.test(host)) {
    throw new OciError("InvalidReference", {
      message: `registry setting "${whole}": "${host}" is not a host[:port]`,
      hint: "write e.g. opmodel.dev=127.0.0.1:5000+insecure,registry.cue.works (CUE_REGISTRY syntax)",
    });
  }
  if (prefix !== "") checkRepository(prefix, whole);
  return { host, prefix, insecure: insecure ?? isLoopback(host) };
}

/**
 * Parses a CUE_REGISTRY setting (`prefix=host[:port][/prefix][+insecure],...,default`); an empty or
 * missing setting means CUE's default, `registry.cue.works`.
 *
 * @throws OciError OPM9001 for a malformed host or repository prefix, or two default registries.
 */
export function parseRegistryConfig(text: string | undefined): RegistryConfig {
  const source = text === undefined || text.trim() === "" ? DEFAULT_CUE_REGISTRY : text.trim();
  const entries = new Map<string, RegistryLocation | undefined>();
  let fallback: RegistryLocation | undefined;
  let sawFallback = false;
  for (const raw of source
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = raw.indexOf("=");
    if (eq < 0) {
      if (sawFallback) {
        throw new OciError("InvalidReference", {
          message: `registry setting "${source}" names two default registries`,
          hint: "keep one entry without `prefix=`",
        });
      }
      sawFallback = true;
      fallback = parseLocation(raw, source);
    } else {
      const prefix = raw.slice(0, eq).replace(/\/+$/, "");
      entries.set(prefix, parseLocation(raw.slice(eq + 1), source));
    }
  }
  if (!sawFallback) fallback = parseLocation(DEFAULT_CUE_REGISTRY, DEFAULT_CUE_REGISTRY);
  return { entries, fallback, text: source };
}

/** Where one module's versions live: a repository, with its versions as tags. */
export interface ResolvedModule {
  /** The registry's `host[:port]`. */
  readonly host: string;
  /** The repository holding the module's versions as tags. */
  readonly repository: string;
  /** True to speak plain HTTP to the registry. */
  readonly insecure: boolean;
}

/** Where a module path (`example.com/app@v1` or `example.com/app`) lives. */
export function resolveModule(config: RegistryConfig, modulePath: string): ResolvedModule {
  const base = modulePath.replace(/@v\d+$/, "");
  let best: string | undefined;
  for (const prefix of config.entries.keys()) {
    const matches = base === prefix || base.startsWith(`${prefix}/`);
    if (matches && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  const location = best === undefined ? config.fallback : config.entries.get(best);
  if (location === undefined) {
    throw new OciError("NoRegistry", {
      message: `no registry serves ${modulePath} (registry setting: ${config.text})`,
      hint: "add a prefix=host entry to --registry, OPM_REGISTRY, the config's registry or CUE_REGISTRY",
    });
  }
  const repository = location.prefix === "" ? base : `${location.prefix}/${base}`;
  checkRepository(repository, modulePath);
  return { host: location.host, repository, insecure: location.insecure };
}

/** Hosts the configuration reaches over plain HTTP, for the client's `plainHttp`. */
export function plainHttpHosts(config: RegistryConfig): (host: string) => boolean {
  const hosts = new Map<string, boolean>();
  for (const location of [config.fallback, ...config.entries.values()]) {
    if (location !== undefined) hosts.set(location.host, location.insecure);
  }
  return (host) => hosts.get(host) ?? isLoopback(host);
}
