// Finds the engine artefacts built by bridge/build.sh and the built-in CUE catalog. The sources run
// from bridge/*.ts (artefacts in ./dist), the compiled package from dist/bridge/*.js and the CLI
// bundle from dist/opm/*.js (artefacts in ../../bridge/dist), so every place is tried, relative to
// this module file and never to the working directory.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const WASM_MODULE = "cue-engine.wasm";
export const WASM_EXEC = "wasm_exec.js";

/**
 * The platforms the package ships a native engine for, as `<process.platform>-<process.arch>`.
 * bridge/build.sh cross-compiles one binary for each (CGO_ENABLED=0, so they need no C library);
 * anywhere else the wasm engine runs.
 */
export const NATIVE_PLATFORMS = [
  "linux-x64",
  "linux-arm64",
  "darwin-x64",
  "darwin-arm64",
  "win32-x64",
] as const;

/** The native binary of a platform, relative to bridge/dist. */
export function nativeBinaryName(platform: string = process.platform, arch: string = process.arch): string {
  return `native/${platform}-${arch}/cue-engine${platform === "win32" ? ".exe" : ""}`;
}

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

/** Where the catalog's CUE modules (catalog/cue/<module>/) may be, given the URL of this module. */
export function catalogCandidates(moduleUrl: string = import.meta.url): string[] {
  return [new URL("../catalog/cue", moduleUrl), new URL("../../catalog/cue", moduleUrl)].map((url) =>
    fileURLToPath(url),
  );
}

/** The built-in catalog shipped with this package, or undefined when it is not there. */
export function findBuiltinCatalog(): string | undefined {
  return catalogCandidates().find((dir) => existsSync(`${dir}/core/cue.mod/module.cue`));
}
