// What the CLI reads from kubeconfig files without connecting: a context's namespace (for the
// namespace precedence) and the context names (for completion). The files are read by the
// cluster library's one parser (kubectl's merge rules), imported alone so that `opm mod build`
// never loads the Kubernetes client.
import { delimiter } from "node:path";
import { mergeKubeconfigs } from "../../providers/kubernetes/cluster/kubeconfig.ts";
import { expandHome } from "./settings.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** The files a kubeconfig setting names (a KUBECONFIG-style list), `~` expanded. */
export function kubeconfigFiles(kubeconfig: string, env: Env): string[] {
  return kubeconfig
    .split(delimiter)
    .filter((f) => f !== "")
    .map((f) => expandHome(f, env));
}

/** The namespace of the given (or current) context, or undefined when none is set. */
export function contextNamespace(
  kubeconfig: string,
  context: string | undefined,
  env: Env,
): string | undefined {
  const merged = mergeKubeconfigs(kubeconfigFiles(kubeconfig, env));
  const name = context ?? merged.currentContext;
  return merged.contexts.get(name)?.context?.namespace || undefined;
}

/** Every context the merged kubeconfig files define, in file order, each once. */
export function contextNames(kubeconfig: string, env: Env): string[] {
  return [...mergeKubeconfigs(kubeconfigFiles(kubeconfig, env)).contexts.keys()];
}
