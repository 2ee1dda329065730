// Kubeconfig loading with kubectl's merge rules. client-node's own merge (`loadFromDefault`)
// lets later files win and throws on duplicate names, while kubectl lets the FIRST file that
// sets a value win; users expect kubectl's behaviour, so the merge is ours. Paths come from the
// caller (the CLI reads `--kubeconfig` and KUBECONFIG): the library never reads the environment.
import { existsSync } from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";
import type { Cluster, Context, User } from "@kubernetes/client-node";
import { OpmError } from "../../../sdk/errors.ts";

export interface KubeconfigSource {
  /** Files in priority order (`--kubeconfig`, or the entries of KUBECONFIG, or ~/.kube/config). */
  readonly paths: readonly string[];
  /** `--context`; default: the merged current-context. */
  readonly context?: string | undefined;
}

export interface LoadedKubeconfig {
  readonly config: KubeConfig;
  readonly context: string;
  /** The context's default namespace, if it names one (namespace precedence, architecture §6.3). */
  readonly namespace: string | undefined;
  readonly server: string;
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

/** Loads and merges the files (first wins for names and current-context), then picks the context. */
export function loadKubeconfig(source: KubeconfigSource): LoadedKubeconfig {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext = "";
  let loadedAny = false;
  for (const [index, path] of source.paths.entries()) {
    // kubectl ignores missing files in KUBECONFIG, but an explicit single file must exist.
    if (!existsSync(path)) {
      if (source.paths.length === 1 && index === 0) throw unusable(`kubeconfig ${path} does not exist`);
      continue;
    }
    const one = new KubeConfig();
    try {
      one.loadFromFile(path);
    } catch (cause) {
      throw unusable(`kubeconfig ${path} cannot be read: ${(cause as Error).message}`, cause);
    }
    loadedAny = true;
    for (const c of one.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of one.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of one.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (currentContext === "" && one.currentContext) currentContext = one.currentContext;
  }
  if (!loadedAny) throw unusable("no kubeconfig found");
  const chosen = source.context ?? currentContext;
  if (chosen === "") throw unusable("the kubeconfig names no current context; pass --context");
  const context = contexts.get(chosen);
  if (context === undefined) {
    throw unusable(`context ${chosen} is not in the kubeconfig`, undefined, [...contexts.keys()]);
  }
  const cluster = clusters.get(context.cluster);
  if (cluster === undefined)
    throw unusable(`context ${chosen} names cluster ${context.cluster}, which is not defined`);
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext: chosen,
  });
  return { config, context: chosen, namespace: context.namespace || undefined, server: cluster.server };
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
