// Reads just enough of kubeconfig files to know a context's namespace, without loading the
// Kubernetes client (it costs start-up time that `opm mod build` must not pay). KUBECONFIG is a
// list (':' separated) merged in order; the first file to set a value wins, as in kubectl.
import { readFile } from "node:fs/promises";
import { delimiter } from "node:path";
import { OpmError } from "../../sdk/errors.ts";
import { expandHome } from "./settings.ts";

interface KubeconfigFile {
  "current-context"?: string;
  contexts?: { name?: string; context?: { namespace?: string } }[];
}

async function readKubeconfigs(
  kubeconfig: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<KubeconfigFile[]> {
  const files = kubeconfig
    .split(delimiter)
    .filter((f) => f !== "")
    .map((f) => expandHome(f, env));
  const parsed: KubeconfigFile[] = [];
  for (const file of files) {
    const text = await readFile(file, "utf8").catch(() => undefined);
    if (text === undefined) continue;
    const { parse } = await import("yaml");
    try {
      parsed.push((parse(text) ?? {}) as KubeconfigFile);
    } catch (error) {
      throw new OpmError("KubeconfigInvalid", {
        message: `kubeconfig ${file} is not valid YAML: ${(error as Error).message.split("\n")[0]}`,
        locations: [{ file }],
        hint: "fix the file, or point --kubeconfig elsewhere",
      });
    }
  }
  return parsed;
}

/** The namespace of the given (or current) context, or undefined when none is set. */
export async function contextNamespace(
  kubeconfig: string,
  context: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> {
  const parsed = await readKubeconfigs(kubeconfig, env);
  const name = context ?? parsed.find((p) => p["current-context"] !== undefined)?.["current-context"];
  if (name === undefined) return undefined;
  for (const file of parsed) {
    const entry = file.contexts?.find((c) => c.name === name);
    if (entry !== undefined) return entry.context?.namespace;
  }
  return undefined;
}

/** Every context the merged kubeconfig files define, in file order, each once. */
export async function contextNames(
  kubeconfig: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string[]> {
  const names = (await readKubeconfigs(kubeconfig, env)).flatMap((file) =>
    (file.contexts ?? []).flatMap((c) => (typeof c.name === "string" ? [c.name] : [])),
  );
  return [...new Set(names)];
}
