// The worker thread that runs a TypeScript module's code for the CLI (runner.ts starts it): it
// loads the module and `.ts` values files through the dsl's loader and renders, so that code
// which loops, never settles or calls process.exit ends this thread, never the CLI. Requests
// come one at a time; each answer is data (worker-protocol.ts).
import { parentPort } from "node:worker_threads";
import type { Module } from "../../sdk/index.ts";
import { OpmError } from "../../sdk/errors.ts";
import { ProblemList } from "../errors/problem-list.ts";
import { compileError, createCliModuleHost } from "./host.ts";
import { BUILTIN_PROVIDERS } from "./providers.ts";
import { workerHooks } from "./worker-hooks.ts";
import { WORKER_READY } from "./worker-start.ts";
import {
  evaluatedComponent,
  portableError,
  portableOutcome,
  sourceOf,
  type RenderJob,
  type WorkerRequest,
  type WorkerStarted,
} from "./worker-protocol.ts";

const port = parentPort;
if (port === null) throw new Error("cli/module/worker.ts runs only as a worker thread");

let loaded: { readonly file: string; readonly module: Module } | undefined;

/** Bundles a file without running it, so the time bound of module code covers only its code. */
async function compile(file: string): Promise<undefined> {
  const { compileTypeScript, z } = await import("../../dsl/index.ts");
  // Every load starts here. One render per run: zod's compiled fast paths (a `new Function` per
  // object schema) cost more to build than they save, about 10 ms of the render; same results.
  z.config({ jitless: true });
  await compileTypeScript(file, createCliModuleHost(file, process.env)).catch((error: unknown) => {
    throw compileError(error) ?? error;
  });
  return undefined;
}

async function loadModule(file: string): Promise<unknown> {
  const { loadModule: load } = await import("../../dsl/index.ts");
  const { module } = await load(file, createCliModuleHost(file, process.env)).catch((error: unknown) => {
    throw compileError(error) ?? error;
  });
  loaded = { file, module };
  return module.metadata;
}

async function loadValues(file: string, name: string): Promise<unknown> {
  const { loadTypeScript } = await import("../../dsl/index.ts");
  const { namespace } = await loadTypeScript(file, createCliModuleHost(file, process.env)).catch(
    (error: unknown) => {
      throw compileError(error) ?? error;
    },
  );
  if (!("default" in namespace)) {
    throw new OpmError("ValuesFileInvalid", {
      message: `values file ${name} has no default export`,
      hint: "export the values as default: `export default { replicas: 2 }`",
    });
  }
  // Awaited, so `export default fetchValues()` works. Checked here, where the data still is what
  // the file exported: a function or a cycle would not survive the copy to the CLI's thread.
  const data: unknown = await namespace["default"];
  const { checkValuesData } = await import("../../sdk/index.ts");
  const errors = checkValuesData({ name, data, locate: () => undefined });
  if (errors.length > 0) throw new ProblemList(errors, `${errors.length} problems in values file ${name}`);
  return data;
}

async function render(job: RenderJob): Promise<unknown> {
  if (loaded === undefined) throw new Error("render before load-module");
  const { render: renderModule } = await import("../../sdk/index.ts");
  const load = BUILTIN_PROVIDERS[job.provider];
  if (load === undefined) throw new Error(`unknown provider ${job.provider}`);
  const { module } = loaded;
  const policies =
    job.policies === undefined
      ? []
      : await (await import("../config/policies.ts")).platformPolicies(job.policies, "config");
  const result = await renderModule({
    module,
    provider: await load(),
    policies,
    ...(job.namespace === undefined ? {} : { namespace: job.namespace }),
    values: job.values.map(sourceOf),
    set: job.set,
    strict: job.strict,
    naming: job.naming,
    provisions: job.provisions,
    ...(job.name === undefined ? {} : { name: job.name }),
  });
  if (!job.evaluateComponents || result.release === undefined) return portableOutcome({ result });
  const built =
    typeof module.components === "function" ? await module.components(result.values) : module.components;
  const components = Object.fromEntries(
    Object.entries(built).map(([name, component]) => [name, evaluatedComponent(component)]),
  );
  return portableOutcome({ result, components });
}

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.kind) {
    case "begin":
      // The module sees the CLI's environment (the one a test or a user gave it), not ours.
      for (const key of Object.keys(process.env)) delete process.env[key];
      for (const [key, value] of Object.entries(request.env))
        if (value !== undefined) process.env[key] = value;
      return { codeCacheToWrite: workerHooks()?.codeCacheToWrite ?? false } satisfies WorkerStarted;
    case "compile":
      return compile(request.file);
    case "load-module":
      return loadModule(request.file);
    case "load-values":
      return loadValues(request.file, request.name);
    case "render":
      return render(request.job);
    case "finish":
      workerHooks()?.saveCodeCache();
      return undefined;
  }
}

port.on("message", (request: WorkerRequest) => {
  handle(request).then(
    (value) => port.postMessage({ id: request.id, ok: true, value }),
    (error: unknown) => port.postMessage({ id: request.id, ok: false, error: portableError(error) }),
  );
});
port.postMessage(WORKER_READY);
