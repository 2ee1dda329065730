// The oracles of the distribution tests: the real `cue` and `cosign` binaries (built from the Go
// module proxy by testenv), run with a private HOME, module cache and Docker config.
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ensureTool, type ToolName } from "../../../testenv/binaries.ts";

export interface ToolRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runTool(
  name: ToolName,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ToolRun> {
  const binary = await ensureTool(name);
  return new Promise((resolve) => {
    execFile(
      binary,
      [...args],
      {
        cwd: options.cwd,
        env: { PATH: process.env["PATH"] ?? "", ...options.env },
        timeout: options.timeoutMs ?? 120_000,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === "number" ? error.code : 1,
          out: stdout,
          err: stderr,
        }),
    );
  });
}

export function writeFiles(root: string, files: Readonly<Record<string, string>>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

export function cueModuleFile(path: string, deps: Readonly<Record<string, string>> = {}): string {
  const entries = Object.entries(deps).map(([p, v]) => `\t"${p}": v: "${v}"\n`);
  return `module: "${path}"\nlanguage: version: "v0.15.0"\nsource: kind: "self"\n${entries.length > 0 ? `deps: {\n${entries.join("")}}\n` : ""}`;
}
