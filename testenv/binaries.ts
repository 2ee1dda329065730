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

/**
 * Returns the control plane's binaries, building them from the Go module proxy first when the
 * cache lacks them (minutes the first time, instant afterwards). Build progress goes to `progress`.
 */
export async function ensureBinaries(progress: (line: string) => void = () => {}): Promise<Binaries> {
  const dir = await new Promise<string>((resolve, reject) => {
    const child = spawn("bash", [join(scriptsDir(), "build.sh")], { stdio: ["ignore", "pipe", "pipe"] });
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
      if (code === 0) resolve(out.trim().split("\n").pop() ?? "");
      else reject(new TestEnvError(lastError || `build failed with exit code ${code}`));
    });
  });
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
