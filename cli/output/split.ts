// `--split --out-dir DIR`: one file per object, written atomically. Files go to a temporary
// sibling directory first, which then replaces DIR in one rename, so DIR holds either the old
// set or the complete new one, never a half-written mix, even when a write fails. A file that
// holds a Secret is readable by its owner only (0600); the directory is the owner's (0700).
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { OpmError } from "../../sdk/errors.ts";
import { formatManifests, type RenderedObject } from "../../sdk/index.ts";
import type { SecretStrings } from "../../sdk/redact.ts";

/** @param redact when given (`--redact`), secret values are masked in every file's text */
export async function writeSplit(
  resources: readonly RenderedObject[],
  outDir: string,
  redact?: SecretStrings,
): Promise<string[]> {
  await checkReplaceable(outDir);
  const names = splitFileNames(resources);
  const parent = dirname(outDir);
  let temp: string | undefined;
  try {
    await mkdir(parent, { recursive: true });
    temp = await mkdtemp(join(parent, `.${basename(outDir)}.tmp-`));
    for (const [i, resource] of resources.entries()) {
      const text = formatManifests([resource]);
      await writeFile(join(temp, names[i]!), redact === undefined ? text : redact.redact(text), {
        mode: resource.object.kind === "Secret" ? 0o600 : 0o644,
      });
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

/**
 * DIR is replaced as a whole, so it may only hold what an earlier split wrote (`*.yaml` files):
 * a file, or a directory with anything else in it (`--out-dir .`, `--out-dir src`), would be
 * deleted with it.
 */
async function checkReplaceable(outDir: string): Promise<void> {
  const info = await stat(outDir).catch(() => undefined);
  if (info === undefined) return;
  const refuse = (what: string) =>
    new OpmError("OutputWriteFailed", {
      message: `cannot write manifests to ${outDir}: ${what}`,
      hint: "--split replaces the whole directory; point --out-dir at a new directory or at the output of an earlier --split",
    });
  if (!info.isDirectory()) throw refuse("it is a file, not a directory");
  const foreign = (await readdir(outDir, { withFileTypes: true })).filter(
    (entry) => !entry.isFile() || !entry.name.endsWith(".yaml") || entry.name.startsWith("."),
  );
  if (foreign.length > 0) throw refuse(`it holds ${foreign[0]!.name}, which --split did not write`);
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
