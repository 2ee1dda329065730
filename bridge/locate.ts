// Finds the engine artefacts built by bridge/build.sh. The sources run from bridge/*.ts (artefacts
// in ./dist) and the compiled package from dist/bridge/*.js (artefacts in ../../bridge/dist), so
// both places are tried, relative to this module file and never to the working directory.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const NATIVE_BINARY = "cue-engine";
export const WASM_MODULE = "cue-engine.wasm";
export const WASM_EXEC = "wasm_exec.js";

/** Where an artefact may be, given the URL of this module (a parameter only for tests). */
export function artefactCandidates(name: string, moduleUrl: string = import.meta.url): string[] {
  return [new URL(`./dist/${name}`, moduleUrl), new URL(`../../bridge/dist/${name}`, moduleUrl)].map((url) =>
    fileURLToPath(url),
  );
}

/** The first existing copy of an artefact, or undefined when it was never built. */
export function findArtefact(name: string): string | undefined {
  return artefactCandidates(name).find((path) => existsSync(path));
}
