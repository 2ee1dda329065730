// The CLI's store of CUE engine answers (bridge/answer-cache.ts): files under the user's cache
// directory, one per answer, named by the key, kept under a size bound (answer-store.ts). A build of an unchanged CUE module is then served
// without starting the engine. Keys cover every file a module load can read (the module's `.cue`
// files and a `file:` registry configuration), so an edited file is a different key; the bridge
// adds the engine build, the catalog's content and the engine's settings. An answer that holds
// secret material is never written (a `#Secret` value, a field named like a password, a value
// the run learned is secret, such as a SOPS-decrypted one): secrets never go to disk.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { opmCacheDir } from "../start/cache-dir.ts";
import type { EngineAnswerCache } from "../../bridge/index.ts";
import { answerStore } from "./answer-store.ts";
import { forEachSensitiveValue, type SecretStrings } from "../../sdk/redact.ts";
import { VERSION } from "../../sdk/version.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** Past these a module is not worth digesting on every run: its loads go to the engine. */
export interface DigestLimits {
  /** Directory entries looked at (CUE files or not). */
  readonly entries: number;
  /** `.cue` files read. */
  readonly files: number;
  readonly bytes: number;
}

const LIMITS: DigestLimits = { entries: 20_000, files: 2000, bytes: 16 << 20 };

/** `$OPM_CACHE_DIR/cue-answers`, else `~/.cache/opm/cue-answers` (see opmCacheDir). */
export function answerCacheDir(env: Env): string | undefined {
  return opmCacheDir(env, "cue-answers");
}

/**
 * The answer store for CUE engines of this run, or undefined when there is nowhere to keep it.
 * `secrets` are the values this run treats as secret; answers quoting one are not stored.
 */
export function engineAnswerCache(env: Env, secrets?: SecretStrings): EngineAnswerCache | undefined {
  const dir = answerCacheDir(env);
  if (dir === undefined) return undefined;
  const store = answerStore(dir);
  return {
    identity: `opm ${VERSION}`,
    digestLoad: (loadDir, registry) =>
      Promise.resolve(digestModuleFiles(loadDir, [registry, env["CUE_REGISTRY"]])),
    get: (key) => Promise.resolve(store.read(key)),
    put: (key, answer) => {
      if (!holdsSecret(answer, secrets)) store.write(key, answer);
    },
  };
}

/**
 * Whether a stored answer (the engine's line after its id: `"result":...}`) carries secret
 * material. Unreadable answers count as secret: nothing is written that was not checked.
 */
export function holdsSecret(answer: string, secrets: SecretStrings | undefined): boolean {
  if (secrets !== undefined && secrets.size > 0 && secrets.redact(answer) !== answer) return true;
  let found = false;
  try {
    forEachSensitiveValue(JSON.parse(`{${answer}`), () => (found = true));
  } catch {
    return true;
  }
  return found;
}

/**
 * A digest of every file a load of `dir` can read: the `.cue` files of its CUE module (the
 * directory holding `cue.mod/` at or above `dir`, all of it: parent directories and imported
 * packages count), and a registry configuration file (`file:...`). Undefined when that cannot be
 * known: no module root, a file that embeds other files, or more than the limits.
 */
export function digestModuleFiles(
  dir: string,
  registries: readonly (string | undefined)[],
  limits: DigestLimits = LIMITS,
): string | undefined {
  const root = moduleRoot(resolve(dir));
  if (root === undefined) return undefined;
  const hash = createHash("sha256").update(`${root}\0`);
  const budget = { ...limits };
  try {
    if (!hashCueFiles(hash, root, "", budget)) return undefined;
    for (const registry of registries) {
      if (registry?.startsWith("file:") !== true) continue;
      hash.update(`registry\0${registry}\0`).update(readFileSync(registry.slice("file:".length)));
    }
  } catch {
    return undefined;
  }
  return hash.digest("hex");
}

function moduleRoot(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (statSync(join(at, "cue.mod", "module.cue"), { throwIfNoEntry: false })?.isFile() === true) return at;
    if (dirname(at) === at) return undefined;
  }
}

/** Adds the `.cue` files below `root/relative` to `hash`; false when they cannot be trusted to be all. */
function hashCueFiles(
  hash: ReturnType<typeof createHash>,
  root: string,
  relative: string,
  budget: { entries: number; files: number; bytes: number },
): boolean {
  const entries = readdirSync(join(root, relative), { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  budget.entries -= entries.length;
  if (budget.entries < 0) return false;
  for (const entry of entries) {
    // CUE reads neither hidden files nor node_modules; .git and friends are large.
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
    // A linked directory could lead anywhere, even above the root.
    if (entry.isSymbolicLink() && statSync(join(root, path)).isDirectory()) return false;
    if (entry.isDirectory()) {
      if (!hashCueFiles(hash, root, path, budget)) return false;
    } else if (entry.name.endsWith(".cue")) {
      const content = readFileSync(join(root, path));
      budget.files -= 1;
      budget.bytes -= content.length;
      if (budget.files < 0 || budget.bytes < 0) return false;
      // @embed reads files that are not CUE: their content is not in the digest.
      if (content.includes("@embed(")) return false;
      hash.update(`${path}\0${content.length}\0`).update(content);
    }
  }
  return true;
}
