// Shared test support: make sure the engine is built, and write fixture trees to temp dirs.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { WASM_EXEC, WASM_MODULE, findArtefact, nativeBinaryName } from "../locate.ts";

const buildScript = fileURLToPath(new URL("../build.sh", import.meta.url));

/**
 * Builds bridge/dist when an artefact is missing (normally `npm run build:engine` has done it),
 * and fails with one clear message when that is impossible.
 */
export function ensureEngineBuilt(): void {
  if ([nativeBinaryName(), WASM_MODULE, WASM_EXEC].every((name) => findArtefact(name) !== undefined)) return;
  try {
    execFileSync("bash", [buildScript, "--host"], { stdio: "pipe", timeout: 600_000 });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error);
    throw new Error(
      `the CUE engine is not built and building it failed; run \`npm run build:engine\`: ${stderr}`,
    );
  }
}

/** Writes files (paths relative to the root) into a new temporary directory; returns its path. */
export function writeTree(files: Readonly<Record<string, string>>, prefix = "opm-bridge-"): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** True while a process with this pid exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const moduleFile = (path: string, deps: Readonly<Record<string, string>> = {}) => {
  const depLines = Object.entries(deps).map(([m, v]) => `\t"${m}": v: "${v}"\n`);
  return (
    `module: "${path}"\nlanguage: version: "v0.15.0"\n` +
    (depLines.length > 0 ? `deps: {\n${depLines.join("")}}\n` : "")
  );
};

/** A loopback port nothing listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
