// The values completion looks up outside the command tree: kubeconfig contexts, the cluster's
// namespaces and the releases in a namespace. Completion runs on every Tab press, so each lookup
// is short-bounded and a failure (no cluster, no kubeconfig) is an empty list, never an error.
import { contextNames } from "../config/kubeconfig.ts";
import { Target, type TargetFlags } from "../config/target.ts";
import { connect } from "../commands/mod/cluster-common.ts";
import type { DynamicSource } from "./plan.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** How long one Tab press may wait for the cluster. */
export const CLUSTER_LOOKUP_TIMEOUT = "2s";

/** `--kubeconfig`, `--context`, `-n` and `--config` as typed so far on the command line. */
export function targetOf(words: readonly string[]): TargetFlags {
  const valueOf = (...names: string[]): string | undefined => {
    let found: string | undefined;
    for (const [i, word] of words.entries()) {
      const [name = "", inline] = word.split("=", 2);
      if (!names.includes(name)) continue;
      found = inline ?? words[i + 1];
    }
    return found;
  };
  return {
    configPath: valueOf("--config"),
    namespace: valueOf("-n", "--namespace"),
    kubeconfig: valueOf("--kubeconfig"),
    kubeContext: valueOf("--context", "--kube-context"),
  };
}

export async function lookUp(
  source: DynamicSource,
  flags: TargetFlags,
  env: Env,
  cwd: string,
): Promise<string[]> {
  const target = Target.of(flags, env, cwd);
  if (source === "contexts") return contextNames((await target.kube()).kubeconfig.value, env);
  const client = await connect(target, CLUSTER_LOOKUP_TIMEOUT);
  try {
    if (source === "namespaces") {
      const list = await client.json<{ items: { metadata: { name: string } }[] }>(
        "GET",
        "/api/v1/namespaces",
        "listing namespaces",
      );
      return list.items.map((n) => n.metadata.name).sort();
    }
    const namespace = (await target.namespace()).value;
    const { listInventories } = await import("../../providers/kubernetes/cluster/index.ts");
    const names = (await listInventories(client, namespace)).map((i) => i.release.name);
    return [...new Set(names)].sort();
  } finally {
    client.close();
  }
}
