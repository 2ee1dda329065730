// `--split --out-dir DIR`: one file per object, written atomically. Files go to a temporary
// sibling directory first, which then replaces DIR in one rename, so DIR holds either the old
// set or the complete new one, never a half-written mix, even when a write fails.
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { OpmError } from "../../sdk/errors.ts";
import { formatManifests, type RenderedObject } from "../../sdk/index.ts";

export async function writeSplit(resources: readonly RenderedObject[], outDir: string): Promise<string[]> {
  const names = splitFileNames(resources);
  const parent = dirname(outDir);
  let temp: string | undefined;
  try {
    await mkdir(parent, { recursive: true });
    temp = await mkdtemp(join(parent, `.${basename(outDir)}.tmp-`));
    for (const [i, resource] of resources.entries()) {
      await writeFile(join(temp, names[i]!), formatManifests([resource]));
    }
    const old = `${temp}.old`;
    const hadOld = await rename(outDir, old).then(
      () => true,
      () => false,
    );
    await rename(temp, outDir);
    temp = undefined;
    if (hadOld) await rm(old, { recursive: true, force: true });
    return names;
  } catch (error) {
    if (temp !== undefined) await rm(temp, { recursive: true, force: true });
    throw new OpmError("OutputWriteFailed", {
      message: `cannot write manifests to ${outDir}: ${(error as Error).message}`,
      hint: "check that the directory's parent is writable",
      cause: error,
    });
  }
}

/** `deployment-web.yaml`; the namespace joins in when two objects would share a file name. */
export function splitFileNames(resources: readonly RenderedObject[]): string[] {
  const base = resources.map((r) =>
    `${r.object.kind}-${String(r.object.metadata?.name ?? "")}`.toLowerCase(),
  );
  return resources.map((r, i) => {
    const clash = base.filter((b) => b === base[i]).length > 1;
    const namespace = String(r.object.metadata?.namespace ?? "");
    const name =
      clash && namespace !== ""
        ? `${r.object.kind}-${namespace}-${String(r.object.metadata?.name ?? "")}`
        : base[i]!;
    return `${name.toLowerCase()}.yaml`;
  });
}
