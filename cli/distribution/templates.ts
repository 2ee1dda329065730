// Templates (templates-v2, as later revised upstream: templates are ordinary published CUE
// modules): a module whose files hold `{{Placeholder}}`s and a manifest `template.cue` naming
// the template and its placeholders. `opm mod init --template <ref>` fills the placeholders and
// writes the module without the manifest; the built-in templates stay the default.
import {
  pullModule,
  resolveModule,
  latestOf,
  OciError,
  type RegistryClient,
} from "../../providers/oci/index.ts";
import type { CueEngine } from "../../bridge/index.ts";
import { basePath, parseModuleVersion, versionsOf } from "./dependencies.ts";
import type { RegistryAccess } from "./registry.ts";

export const MANIFEST = "template.cue";
/** Where short template names live, as upstream: `web` is `opmodel.dev/templates/web`. */
export const TEMPLATE_PREFIX = "opmodel.dev/templates";
export const KNOWN_PLACEHOLDERS = [
  "ModuleName",
  "ModuleNamePascal",
  "ModulePath",
  "PackageName",
  "Version",
] as const;
export type Placeholder = (typeof KNOWN_PLACEHOLDERS)[number];

export interface TemplateManifest {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly placeholders: readonly Placeholder[];
}

export interface Template {
  readonly manifest: TemplateManifest;
  /** Files by path, the manifest excluded, placeholders unfilled. */
  readonly files: ReadonlyMap<string, Buffer>;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

function invalid(message: string, file?: string, hint?: string): OciError {
  return new OciError("InvalidTemplate", {
    message,
    ...(file === undefined ? {} : { location: { file } }),
    hint:
      hint ??
      `a template holds ${MANIFEST} (name, version, description, placeholders) and files using only those {{placeholders}}`,
  });
}

/** Checks a template's files and manifest; returns the template. `where` names it in errors. */
export async function readTemplate(
  engine: CueEngine,
  files: ReadonlyMap<string, Buffer>,
  where: string,
): Promise<Template> {
  const manifestFile = files.get(MANIFEST);
  if (manifestFile === undefined) throw invalid(`${where} has no ${MANIFEST}`, where);
  let data: Record<string, unknown>;
  try {
    data = (await engine.export(
      await engine.compile(manifestFile.toString("utf8"), { filename: `${where}/${MANIFEST}` }),
    )) as Record<string, unknown>;
  } catch (error) {
    throw invalid(
      `${where}/${MANIFEST} does not evaluate: ${(error as Error).message}`,
      `${where}/${MANIFEST}`,
    );
  }
  const { name, version, description, placeholders } = data;
  if (
    typeof name !== "string" ||
    typeof version !== "string" ||
    typeof description !== "string" ||
    !Array.isArray(placeholders)
  ) {
    throw invalid(
      `${where}/${MANIFEST} needs name, version, description (strings) and placeholders (a list)`,
      `${where}/${MANIFEST}`,
    );
  }
  for (const p of placeholders) {
    if (!(KNOWN_PLACEHOLDERS as readonly unknown[]).includes(p)) {
      throw invalid(
        `${where}/${MANIFEST}: unknown placeholder ${JSON.stringify(p)} (known: ${KNOWN_PLACEHOLDERS.join(", ")})`,
        `${where}/${MANIFEST}`,
      );
    }
  }
  const rest = new Map([...files].filter(([path]) => path !== MANIFEST));
  if (!rest.has("cue.mod/module.cue")) throw invalid(`${where} has no cue.mod/module.cue`, where);
  for (const [path, content] of rest) {
    for (const m of content.toString("utf8").matchAll(PLACEHOLDER)) {
      if (!placeholders.includes(m[1])) {
        const line = content.toString("utf8").slice(0, m.index).split("\n").length;
        throw invalid(
          `${path} uses {{${m[1]}}}, which ${MANIFEST} does not declare`,
          `${where}/${path}:${line}`,
        );
      }
    }
  }
  const template = {
    manifest: { name, version, description, placeholders: placeholders as Placeholder[] },
    files: rest,
  };
  // Filled with sample values, every CUE file must be valid CUE.
  for (const [path, content] of fill(template, valuesFor("sample-module"))) {
    if (!path.endsWith(".cue")) continue;
    try {
      await engine.format(content.toString("utf8"), { filename: path });
    } catch (error) {
      throw invalid(
        `${path} is not valid CUE once its placeholders are filled: ${(error as Error).message}`,
        `${where}/${path}`,
      );
    }
  }
  return template;
}

export function valuesFor(name: string, modulePath?: string): Readonly<Record<Placeholder, string>> {
  return {
    ModuleName: name,
    ModuleNamePascal: name
      .split("-")
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join(""),
    ModulePath: modulePath ?? `example.com/${name}@v0`,
    PackageName: name.replaceAll("-", "_"),
    Version: "0.1.0",
  };
}

/**
 * The files with placeholders filled. The template's cue.mod/module.cue names the template
 * itself (that is how it is published); the new module gets its own path there.
 */
export function fill(template: Template, values: Readonly<Record<Placeholder, string>>): Map<string, Buffer> {
  return new Map(
    [...template.files].map(([path, content]) => {
      let text = content
        .toString("utf8")
        .replace(PLACEHOLDER, (whole, name: string) => values[name as Placeholder] ?? whole);
      if (path === "cue.mod/module.cue")
        text = text.replace(/^module:\s*"[^"]*"/m, `module: ${JSON.stringify(values.ModulePath)}`);
      return [path, Buffer.from(text)] as const;
    }),
  );
}

/** `web` → opmodel.dev/templates/web; `path` → its latest version; `path@vX.Y.Z` → that one. */
export async function resolveTemplateRef(
  access: RegistryAccess,
  ref: string,
): Promise<{ path: string; version: string }> {
  const full = ref.split("@")[0]!.includes(".") ? ref : `${TEMPLATE_PREFIX}/${ref}`;
  if (/@v\d+\.\d+\.\d+/.test(full)) return parseModuleVersion(full);
  const major = /@(v\d+)$/.exec(full)?.[1];
  const versions = await versionsOf(access, major === undefined ? basePath(full) : full, major === undefined);
  const latest = latestOf(versions);
  if (latest === undefined) {
    throw new OciError("ArtifactNotFound", {
      message: `no published version of the template ${basePath(full)}`,
      hint: "list templates with `opm template list`, or publish one with `opm template publish`",
    });
  }
  return { path: `${basePath(full)}@${/^v\d+/.exec(latest)![0]}`, version: latest };
}

export async function fetchTemplate(
  access: RegistryAccess,
  engine: CueEngine,
  ref: string,
): Promise<Template & { readonly ref: string; readonly digest: string }> {
  const { path, version } = await resolveTemplateRef(access, ref);
  const target = resolveModule(access.config, path);
  const artifact = await pullModule(
    access.client,
    { host: target.host, repository: target.repository },
    version,
  );
  const template = await readTemplate(engine, artifact.files, `${basePath(path)}@${version}`);
  return { ...template, ref: `${basePath(path)}@${version}`, digest: artifact.manifestDigest };
}

/** Template repositories under the templates prefix (the registry's catalog API). */
export async function listTemplates(
  client: RegistryClient,
  access: RegistryAccess,
  prefix: string,
): Promise<string[]> {
  const target = resolveModule(access.config, `${prefix}/x`);
  const repositoryPrefix = target.repository.slice(0, -"/x".length);
  const repositories = await client.catalog(target.host);
  return repositories
    .filter((r) => r.startsWith(`${repositoryPrefix}/`))
    .map((r) => `${prefix}/${r.slice(repositoryPrefix.length + 1)}`)
    .sort();
}
