// `opm mod init --template <published template>`: fetch, check, fill the placeholders.
import { startCueEngine } from "../cue-engine.ts";
import type { ScaffoldFile } from "../templates/names.ts";
import { registryAccess, type RegistryFlags } from "./registry.ts";
import { fetchTemplate, fill, valuesFor } from "./templates.ts";

export async function publishedScaffold(
  ref: string,
  name: string,
  options: {
    readonly flags: RegistryFlags;
    readonly cwd: string;
    readonly env: Readonly<Record<string, string | undefined>>;
  },
): Promise<ScaffoldFile[]> {
  const access = await registryAccess(options.flags, options.env, options.cwd);
  const engine = await startCueEngine({ env: options.env });
  try {
    const template = await fetchTemplate(access, engine, ref);
    return [...fill(template, valuesFor(name))].map(([path, content]) => ({
      path,
      description: `from ${template.ref}`,
      content: content.toString("utf8"),
    }));
  } finally {
    await engine.close();
  }
}
