// Module files on disk: collecting a module directory the way CUE's modzip does (files only, no
// symlinks, no VCS directories, no nested modules, no cue.mod/{pkg,usr,gen}) and writing an
// unpacked artefact so that nothing half-written is ever left: into a fresh sibling directory,
// renamed into place when complete.
import { randomUUID } from "node:crypto";
import { lstat, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { OciError } from "./errors.ts";
import { checkEntryName } from "./zip.ts";

const VCS = new Set([".git", ".hg", ".svn", ".bzr"]);

/** Every file of a module directory, by `/`-separated path. */
export async function collectModuleFiles(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = relative(root, path).split(sep).join("/");
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        if (VCS.has(entry.name) || entry.name === "node_modules") continue;
        if (/^cue\.mod\/(pkg|usr|gen)$/.test(rel)) continue;
        // A directory with its own cue.mod is another module.
        if (dir !== root || entry.name !== "cue.mod") {
          const nested = await lstat(join(path, "cue.mod")).catch(() => undefined);
          if (nested !== undefined && rel !== "cue.mod") continue;
        }
        await walk(path);
      } else if (entry.isFile()) {
        files.set(rel, await readFile(path));
      }
    }
  };
  await walk(root);
  return files;
}

/**
 * Writes files under `target`, which must not exist yet (or is replaced when `replace`): all of
 * them into a temporary sibling first, then one rename, so a failure leaves nothing behind.
 */
export async function writeTreeAtomically(
  target: string,
  files: ReadonlyMap<string, Uint8Array>,
  options: { readonly replace?: boolean } = {},
): Promise<void> {
  const exists = await lstat(target).catch(() => undefined);
  if (exists !== undefined && options.replace !== true) {
    throw new OciError("VersionExists", {
      message: `${target} already exists`,
      hint: "remove it or choose another directory",
    });
  }
  await mkdir(dirname(target), { recursive: true });
  // Unique per call, not per millisecond: two writes of one tree in one process (the controller
  // reconciling several releases of one inline module at once) shared a staging directory, and
  // the loser's cleanup emptied the winner's tree before its rename.
  const staging = `${target}.tmp-${process.pid}-${randomUUID()}`;
  try {
    for (const [name, data] of files) {
      checkEntryName(name);
      const path = join(staging, ...name.split("/"));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, data, { flag: "wx" });
    }
    await mkdir(staging, { recursive: true });
    if (exists !== undefined) await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
