import { spawn } from "node:child_process";
import { join } from "node:path";
import { TestEnvError } from "./errors.ts";
import { scriptsDir } from "./paths.ts";

export interface Binaries {
  dir: string;
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kwok: string;
  /** kwok's node and pod lifecycle stages. */
  kwokStages: string;
}

/** Go tools the tests use as oracles, pinned in testenv/tools.env (keep both lists in step). */
export const TOOL_NAMES = ["cue", "cosign", "sops", "age-keygen"] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/**
 * Returns the control plane's binaries, building them from the Go module proxy first when the
 * cache lacks them (minutes the first time, instant afterwards). Build progress goes to `progress`.
 */
export async function ensureBinaries(progress: (line: string) => void = () => {}): Promise<Binaries> {
  const dir = (await runBuildScript("build.sh", [], progress)).pop() ?? "";
  return {
    dir,
    etcd: join(dir, "etcd"),
    kubeApiserver: join(dir, "kube-apiserver"),
    kubeControllerManager: join(dir, "kube-controller-manager"),
    kubeScheduler: join(dir, "kube-scheduler"),
    kwok: join(dir, "kwok"),
    kwokStages: join(dir, "kwok-stages.yaml"),
  };
}

/**
 * The path of a pinned Go tool (build-tools.sh), built from the Go module proxy first when the
 * cache lacks it: once per pin, instant afterwards.
 */
export async function ensureTool(
  name: ToolName,
  progress: (line: string) => void = () => {},
): Promise<string> {
  const line = (await runBuildScript("build-tools.sh", [name], progress)).find((l) =>
    l.startsWith(`${name}=`),
  );
  if (line === undefined) throw new TestEnvError(`build-tools.sh printed no path for ${name}`);
  return line.slice(name.length + 1);
}

/** Runs one of testenv's build scripts; resolves to its stdout lines, rejects with its last error. */
function runBuildScript(
  script: string,
  args: readonly string[],
  progress: (line: string) => void,
): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) => {
    const child = spawn("bash", [join(scriptsDir(), script), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let lastError = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        progress(line);
        if (line.startsWith("testenv: ")) lastError = line.slice("testenv: ".length);
      }
    });
    child.on("error", (err) => reject(new TestEnvError(`cannot run bash: ${err.message}`, "install bash")));
    child.on("close", (code) => {
      if (code === 0) resolve(out.trim().split("\n").filter(Boolean));
      else reject(new TestEnvError(lastError || `${script} failed with exit code ${code}`));
    });
  });
}
