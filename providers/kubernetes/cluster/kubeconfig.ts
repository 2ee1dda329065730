// Kubeconfig loading with kubectl's merge rules: files in priority order, the FIRST file that
// sets a value wins (client-node's own merge lets later files win and throws on duplicate names).
// The common credentials (client certificates, bearer tokens, basic auth, CA data) are read here
// directly, exec plugins run through exec-credential.ts; client-node (about half a second to
// import) is loaded only for the legacy auth-provider plugins. Paths come from the caller: the library never reads the environment.
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { parse, stringify, YAMLError } from "yaml";
import { OpmError } from "../../../sdk/errors.ts";
import { parseExecConfig, type ExecConfig } from "./exec-credential.ts";

/**
 * Which kubeconfig files to read and which context to use, as the caller resolved them (the library
 * never reads the environment).
 */
export interface KubeconfigSource {
  /** Files in priority order (`--kubeconfig`, or the entries of KUBECONFIG, or ~/.kube/config). */
  readonly paths: readonly string[];
  /** `--context`; default: the merged current-context. */
  readonly context?: string | undefined;
}

/** TLS material and credentials for requests to one cluster. */
export interface Credentials {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName?: string;
  readonly token?: string;
  readonly basic?: string;
  /** A plugin (exec, auth-provider) must produce the credentials. */
  readonly plugin: boolean;
  /** The exec plugin, which we run ourselves (exec-credential.ts). */
  readonly exec?: ExecConfig;
}

/** One context of the merged kubeconfig: where the cluster is and how to authenticate to it. */
export interface LoadedKubeconfig {
  /** The context's name. */
  readonly context: string;
  /** The context's default namespace, if it names one (precedence: docs/architecture.md, decision 3). */
  readonly namespace: string | undefined;
  /** The cluster's API server URL. */
  readonly server: string;
  /** The TLS material and credentials of the context's user. */
  readonly credentials: Credentials;
  /** The merged kubeconfig as YAML, for client-node when a plugin is needed. */
  readonly mergedYaml: string;
}

type Named<T> = { name: string } & T;
type ClusterEntry = Named<{ cluster?: Record<string, unknown> }>;
type UserEntry = Named<{ user?: Record<string, unknown> }>;
type ContextEntry = Named<{ context?: { cluster?: string; user?: string; namespace?: string } }>;
interface KubeconfigFile {
  clusters?: ClusterEntry[];
  users?: UserEntry[];
  contexts?: ContextEntry[];
  "current-context"?: string;
}

/**
 * The ordered kubeconfig files for the kubectl rules: an explicit `--kubeconfig` alone, else every
 * entry of KUBECONFIG (split on the platform's delimiter), else `~/.kube/config`.
 */
export function kubeconfigPaths(options: {
  explicit?: string | undefined;
  envValue?: string | undefined;
  home?: string | undefined;
  delimiter: string;
}): string[] {
  if (options.explicit !== undefined && options.explicit !== "") return [options.explicit];
  if (options.envValue !== undefined && options.envValue !== "") {
    return options.envValue.split(options.delimiter).filter((p) => p !== "");
  }
  return options.home === undefined ? [] : [`${options.home}/.kube/config`];
}

/** Relative file references in a kubeconfig are relative to that file (as kubectl does). */
function absolutize(entry: Record<string, unknown> | undefined, dir: string, keys: readonly string[]): void {
  if (entry === undefined) return;
  for (const key of keys) {
    const value = entry[key];
    if (typeof value === "string" && value !== "" && !isAbsolute(value)) entry[key] = resolve(dir, value);
  }
}

function bytes(entry: Record<string, unknown>, dataKey: string, fileKey: string): Buffer | undefined {
  const data = entry[dataKey];
  if (typeof data === "string" && data !== "") return Buffer.from(data, "base64");
  const file = entry[fileKey];
  if (typeof file === "string" && file !== "") return readFileSync(file);
  return undefined;
}

/** The kubeconfig files merged by kubectl's rules: for each name, the first file that sets it wins. */
export interface MergedKubeconfig {
  readonly clusters: ReadonlyMap<string, ClusterEntry>;
  readonly users: ReadonlyMap<string, UserEntry>;
  readonly contexts: ReadonlyMap<string, ContextEntry>;
  /** The first current-context a file sets; `""` when none does. */
  readonly currentContext: string;
  /** The files that exist and were read (kubectl skips missing entries of KUBECONFIG). */
  readonly read: readonly string[];
}

/**
 * Reads and merges kubeconfig files: the one parser behind connecting and behind the CLI's
 * context namespace and context completion. Missing files are skipped; a file that is not YAML
 * is KubeconfigInvalid (OPM7019), positioned at the file.
 */
export function mergeKubeconfigs(paths: readonly string[]): MergedKubeconfig {
  const clusters = new Map<string, ClusterEntry>();
  const users = new Map<string, UserEntry>();
  const contexts = new Map<string, ContextEntry>();
  let currentContext = "";
  const read: string[] = [];
  for (const path of paths) {
    if (!existsSync(path)) continue;
    let file: KubeconfigFile;
    try {
      file = (parse(readFileSync(path, "utf8")) ?? {}) as KubeconfigFile;
    } catch (cause) {
      const reason = (cause as Error).message.split("\n")[0];
      throw new OpmError("KubeconfigInvalid", {
        message: `kubeconfig ${path} cannot be read: ${cause instanceof YAMLError ? "not valid YAML: " : ""}${reason}`,
        locations: [{ file: path }],
        hint: "fix the file, or point --kubeconfig elsewhere",
        cause,
      });
    }
    read.push(path);
    const dir = dirname(resolve(path));
    for (const c of named(file.clusters)) {
      absolutize(c.cluster, dir, ["certificate-authority"]);
      if (!clusters.has(c.name)) clusters.set(c.name, c);
    }
    for (const u of named(file.users)) {
      absolutize(u.user, dir, ["client-certificate", "client-key", "tokenFile"]);
      if (!users.has(u.name)) users.set(u.name, u);
    }
    for (const c of named(file.contexts)) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (currentContext === "" && typeof file["current-context"] === "string")
      currentContext = file["current-context"];
  }
  return { clusters, users, contexts, currentContext, read };
}

/** The entries of a list that have a string name (anything else in the file is ignored). */
function named<T extends { name: string }>(entries: readonly T[] | undefined): T[] {
  return Array.isArray(entries) ? entries.filter((e) => typeof e?.name === "string") : [];
}

/**
 * Merges the kubeconfig files as kubectl does (the first file that sets a value wins) and reads the
 * selected context's cluster and credentials.
 *
 * @throws OpmError OPM6013 when an explicit file is missing, no context is selected, or the
 * context names a cluster or user that does not exist; OPM7019 when a file is not YAML.
 */
export function loadKubeconfig(source: KubeconfigSource): LoadedKubeconfig {
  // kubectl ignores missing files in KUBECONFIG, but an explicit single file must exist.
  const [only] = source.paths;
  if (source.paths.length === 1 && only !== undefined && !existsSync(only))
    throw unusable(`kubeconfig ${only} does not exist`);
  const { clusters, users, contexts, currentContext, read } = mergeKubeconfigs(source.paths);
  const loadedAny = read.length > 0;
  if (!loadedAny) throw unusable("no kubeconfig found");
  const chosen = source.context ?? currentContext;
  if (chosen === "") throw unusable("the kubeconfig names no current context; pass --context");
  const context = contexts.get(chosen);
  if (context === undefined)
    throw unusable(`context ${chosen} is not in the kubeconfig`, undefined, [...contexts.keys()]);
  const clusterName = context.context?.cluster ?? "";
  const cluster = clusters.get(clusterName)?.cluster;
  if (cluster === undefined || typeof cluster["server"] !== "string") {
    throw unusable(`context ${chosen} names cluster ${clusterName}, which is not defined or has no server`);
  }
  if (!/^https?:\/\/[^/]/.test(cluster["server"]) || !URL.canParse(cluster["server"]))
    throw unusable(
      `cluster ${clusterName}: server ${JSON.stringify(cluster["server"])} is not an http(s) URL`,
    );
  const user = users.get(context.context?.user ?? "")?.user ?? {};
  let credentials: Credentials;
  if (user["exec"] !== undefined && parseExecConfig(user["exec"]) === undefined)
    throw unusable(`context ${chosen}: the user's exec plugin names no command`);
  try {
    credentials = credentialsOf(cluster, user);
  } catch (cause) {
    throw unusable(`context ${chosen}: a credential file cannot be read: ${(cause as Error).message}`, cause);
  }
  const mergedYaml = stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    "current-context": chosen,
  });
  return {
    context: chosen,
    namespace: context.context?.namespace || undefined,
    server: cluster["server"],
    credentials,
    mergedYaml,
  };
}

function credentialsOf(cluster: Record<string, unknown>, user: Record<string, unknown>): Credentials {
  const ca = bytes(cluster, "certificate-authority-data", "certificate-authority");
  const cert = bytes(user, "client-certificate-data", "client-certificate");
  const key = bytes(user, "client-key-data", "client-key");
  const tokenFile = user["tokenFile"];
  const token =
    typeof user["token"] === "string" && user["token"] !== ""
      ? user["token"]
      : typeof tokenFile === "string" && tokenFile !== ""
        ? readFileSync(tokenFile, "utf8").trim()
        : undefined;
  const basic =
    typeof user["username"] === "string"
      ? `${user["username"]}:${String(user["password"] ?? "")}`
      : undefined;
  const serverName = cluster["tls-server-name"];
  const exec = parseExecConfig(user["exec"]);
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] === true,
    ...(typeof serverName === "string" ? { tlsServerName: serverName } : {}),
    ...(token === undefined ? {} : { token }),
    ...(basic === undefined ? {} : { basic }),
    plugin: user["exec"] !== undefined || user["auth-provider"] !== undefined,
    ...(exec === undefined ? {} : { exec }),
  };
}

function unusable(message: string, cause?: unknown, known?: string[]): OpmError {
  return new OpmError("KubeconfigUnusable", {
    message,
    hint:
      known === undefined
        ? "pass --kubeconfig, set KUBECONFIG, or run `opm dev cluster up` for a local cluster"
        : `known contexts: ${known.join(", ") || "(none)"}`,
    cause,
  });
}
