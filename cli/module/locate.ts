// Finds the module a path names: a `*.opm.ts` file, a directory holding `module.opm.ts` or
// exactly one `*.opm.ts`, or a CUE module directory (one with `cue.mod/`). Only IO, no loading.
import { readdir, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { OpmError } from "../../sdk/errors.ts";

export type ModuleLocation =
  { readonly language: "ts"; readonly file: string } | { readonly language: "cue"; readonly dir: string };

const TS_SUFFIX = ".opm.ts";

export async function locateModule(path: string, cwd: string): Promise<ModuleLocation> {
  const target = resolve(cwd, path);
  const info = await stat(target).catch(() => undefined);
  if (info === undefined) {
    throw new OpmError("ModuleNotFound", {
      message: `no module at ${path}: the path does not exist`,
      hint: "give a directory with a *.opm.ts file or a CUE module, or a *.opm.ts file",
    });
  }
  if (info.isFile()) {
    if (target.endsWith(TS_SUFFIX)) return { language: "ts", file: target };
    throw new OpmError("ModuleNotFound", {
      message: `${path} is not a module file: TypeScript modules are named *${TS_SUFFIX}`,
      hint: "pass the module's *.opm.ts file or its directory",
    });
  }
  const entries = await readdir(target);
  if (entries.includes(`module${TS_SUFFIX}`))
    return { language: "ts", file: join(target, `module${TS_SUFFIX}`) };
  const candidates = entries.filter((name) => name.endsWith(TS_SUFFIX)).sort();
  if (candidates.length === 1) return { language: "ts", file: join(target, candidates[0]!) };
  if (candidates.length > 1) {
    throw new OpmError("ModuleAmbiguous", {
      message: `${path} holds several modules: ${candidates.join(", ")}`,
      hint: `name one file, e.g. ${join(path, candidates[0]!)}, or rename the main one to module${TS_SUFFIX}`,
    });
  }
  if (entries.includes("cue.mod")) return { language: "cue", dir: target };
  throw new OpmError("ModuleNotFound", {
    message: `no module in ${path === "." ? basename(target) : path}: no *${TS_SUFFIX} file and no cue.mod directory`,
    hint: "create one with `opm mod init <name>`",
  });
}
