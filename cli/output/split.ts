// `--split --out-dir DIR`: one file per object, written atomically. Files go to a temporary
// sibling directory first, which then replaces DIR in one rename, so DIR holds either the old
// set or the complete new one, never a half-written mix, even when a write fails.
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { RenderedObject } from "../../sdk/index.ts";
import { OpmError } from "../../sdk/errors.ts";
import { splitFileNames } from "./manifests.ts";

export async function writeSplit(resources: readonly RenderedObject[], outDir: string): Promise<string[]> {
  const { stringify } = await import("yaml");
  const names = splitFileNames(resources);
  const parent = dirname(outDir);
  let temp: string | undefined;
  try {
    await mkdir(parent, { recursive: true });
    temp = await mkdtemp(join(parent, `.${basename(outDir)}.tmp-`));
    for (const [i, resource] of resources.entries()) {
      await writeFile(
        join(temp, names[i]!),
        stringify(resource.object, { lineWidth: 0, aliasDuplicateObjects: false }),
      );
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
