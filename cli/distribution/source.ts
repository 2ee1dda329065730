// What gets published for a module directory: a CUE module's own files, or, for a TypeScript
// module, the CUE module the dsl compiles it to, accepted only when that CUE module renders
// byte-identically to the TS one with the module's own values (the registry holds CUE modules,
// and a CUE user must get what the TS author wrote).
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { CueEngine } from "../../bridge/index.ts";
import { OciError } from "../../providers/oci/index.ts";
import type { RenderResult } from "../../sdk/index.ts";
import { OpmError } from "../../sdk/errors.ts";
import { loadModule } from "../module/load.ts";
import type { ModuleLocation } from "../module/locate.ts";
import { DEFAULT_MODULE_TIMEOUT_MS, ModuleRunner } from "../module/runner.ts";

export interface PublishSource {
  readonly files: Map<string, Buffer>;
  readonly language: "cue" | "ts";
}

export async function publishSource(
  location: ModuleLocation,
  engine: CueEngine,
  env: Readonly<Record<string, string | undefined>>,
  registry: string | undefined,
): Promise<PublishSource> {
  const oci = await import("../../providers/oci/index.ts");
  if (location.language === "cue")
    return { files: await oci.collectModuleFiles(location.dir), language: "cue" };
  const { compileModuleToCue, formatIssue } = await import("../../dsl/index.ts");
  const compiled = await compileModuleToCue(location.file, { format: (s) => engine.format(s) });
  if (!compiled.ok) {
    throw new OpmError("ModuleLoadFailed", {
      message: `${location.file} cannot be compiled to CUE for publishing:\n${compiled.issues.map(formatIssue).join("\n")}`,
      hint: "the registry holds CUE modules; docs/ts-to-cue.md lists the TypeScript the compiler supports",
    });
  }
  const files = new Map(
    Object.entries(compiled.files).map(([path, text]) => [path, Buffer.from(text)] as const),
  );
  await checkParity(location, files, env, registry);
  return { files, language: "ts" };
}

/** The TS module rendered with its own values, its code run as the build commands run it. */
async function renderTypeScript(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<RenderResult> {
  const runner = await ModuleRunner.open({
    env,
    timeoutMs: DEFAULT_MODULE_TIMEOUT_MS,
    output: process.stderr,
  });
  try {
    await runner.loadModule(file);
    const job = { provider: "kubernetes", values: [], set: [], strict: false, evaluateComponents: false };
    return (await runner.render(job, file)).result;
  } finally {
    await runner.close();
  }
}

async function checkParity(
  location: Extract<ModuleLocation, { language: "ts" }>,
  files: ReadonlyMap<string, Buffer>,
  env: Readonly<Record<string, string | undefined>>,
  registry: string | undefined,
): Promise<void> {
  const { render, formatManifests } = await import("../../sdk/index.ts");
  const manifests = (result: RenderResult) => {
    if (result.errors.length > 0)
      throw new OciError("PublishMismatch", {
        message: `the module does not render with its own values: ${result.errors.map(String).join("; ")}`,
      });
    return formatManifests(result.resources);
  };
  const { kubernetesProvider } = await import("../../providers/kubernetes/index.ts");
  const dir = await mkdtemp(join(tmpdir(), "opm-publish-"));
  try {
    for (const [path, data] of files) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), data);
    }
    const viaTs = manifests(await renderTypeScript(location.file, env));
    const cue = await loadModule({ language: "cue", dir }, env, registry);
    try {
      const viaCue = manifests(
        await render({ module: cue.module, provider: kubernetesProvider, values: [] }),
      );
      if (viaTs !== viaCue) {
        const a = viaTs.split("\n");
        const b = viaCue.split("\n");
        const line = a.findIndex((text, i) => text !== b[i]);
        throw new OciError("PublishMismatch", {
          message: `the CUE module compiled from ${location.file} renders differently from the TypeScript module (first difference at manifest line ${line + 1}: ${JSON.stringify(a[line] ?? "")} vs ${JSON.stringify(b[line] ?? "")})`,
          hint: "nothing was published; report the difference, or publish the module written in CUE",
          details: { line: line + 1 },
        });
      }
    } finally {
      await cue.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
