// One control plane and registry per test run, shared by all test files (each uses its own
// namespaces). Tests read the endpoints with inject("kubeconfig") / inject("registry").
import type { TestProject } from "vitest/node";
import { startTestEnv } from "./environment.ts";

declare module "vitest" {
  export interface ProvidedContext {
    kubeconfig: string;
    registry: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const env = await startTestEnv({ progress: (line) => process.stderr.write(`testenv: ${line}\n`) });
  process.stderr.write(`testenv: ready in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  project.provide("kubeconfig", env.kubeconfig);
  project.provide("registry", env.registry);
  return () => env.stop();
}
