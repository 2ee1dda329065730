// Renders an example the way `opm mod build` does: load the `*.opm.ts` through the dsl loader,
// apply the example's values files in order, render with the Kubernetes provider, and print the
// objects as one YAML stream. Shared by the golden test and anyone regenerating goldens.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createNodeModuleHost } from "../dsl/node-host.ts";
import { loadModule } from "../dsl/index.ts";
import { kubernetesProvider } from "../providers/kubernetes/index.ts";
import { formatManifests, render, type RenderResult } from "../sdk/index.ts";

export const EXAMPLES = ["jellyfin", "blog", "multi-tier", "secrets", "interfaces"] as const;

export async function renderExample(
  dir: string,
  name: string,
  cacheDir: string,
  namespace?: string,
): Promise<RenderResult> {
  const host = createNodeModuleHost({ cacheDir, sourceConditions: true });
  const { module } = await loadModule(join(dir, `${name}.opm.ts`), host);
  const valuesFiles = (await readdir(dir)).filter((f) => /^values.*\.yaml$/.test(f)).sort();
  const values = await Promise.all(
    valuesFiles.map(async (file) => ({
      name: join(dir, file),
      text: await readFile(join(dir, file), "utf8"),
    })),
  );
  return render({
    module,
    provider: kubernetesProvider,
    values,
    ...(namespace === undefined ? {} : { namespace }),
  });
}

/** The rendered objects as `opm mod build` prints them: a YAML stream, in render order. */
export function toYamlStream(result: RenderResult): string {
  return formatManifests(result.resources);
}
