// What the template commands share: a template from the registry or a directory, checked.
import { resolve } from "node:path";
import { collectModuleFiles } from "../../providers/oci/index.ts";
import { startCueEngine } from "../cue-engine.ts";
import type { RegistryCommand } from "../commands/mod/registry-options.ts";
import { registryAccess } from "./registry.ts";
import { fetchTemplate, readTemplate, type Template } from "./templates.ts";

type Env = Readonly<Record<string, string | undefined>>;

export async function withTemplate(
  command: RegistryCommand,
  ref: string,
  work: (template: Template & { ref: string; digest: string }, manifestText: string) => Promise<number>,
): Promise<number> {
  const { context } = command;
  const access = await registryAccess(
    { registry: command.registry, caFile: command.caFile, configPath: command.configPath },
    context.env,
    context.cwd,
  );
  const engine = await startCueEngine({ env: context.env });
  try {
    const template = await fetchTemplate(access, engine, ref);
    const manifest = `name: ${JSON.stringify(template.manifest.name)}\nversion: ${JSON.stringify(template.manifest.version)}\ndescription: ${JSON.stringify(template.manifest.description)}\nplaceholders: ${JSON.stringify(template.manifest.placeholders)}\n`;
    return await work(template, await engine.format(manifest));
  } finally {
    await engine.close();
  }
}

export async function localTemplate(dir: string, cwd: string, env: Env): Promise<Template> {
  const root = resolve(cwd, dir);
  const engine = await startCueEngine({ env });
  try {
    return await readTemplate(engine, await collectModuleFiles(root), dir);
  } finally {
    await engine.close();
  }
}
