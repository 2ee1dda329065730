// The shared front half of `mod build`, `mod vet`, `mod eval`, `apply` and `diff`: resolve
// settings, find and load the module, read values files, pick the provider and render. Commands
// only present the outcome. A TypeScript module's code (the module, `.ts` values files, its
// render) runs in a worker thread under a time bound (runner.ts); a CUE module evaluates in the
// CUE engine here. Heavy parts (provider, CUE engine, esbuild) are imported on demand.
import type { CueEngine } from "../../bridge/index.ts";
import type { ReleaseSource } from "../../providers/kubernetes/cluster/index.ts";
import type {
  ExternalProvision,
  Module,
  ModuleMetadata,
  NamingMode,
  Policy,
  RenderResult,
  SetInput,
  ValuesSource,
} from "../../sdk/index.ts";
import { OpmError } from "../../sdk/errors.ts";
import { ErrorCodes } from "../../sdk/error-codes.ts";
import type { SecretStrings } from "../../sdk/redact.ts";
import { parseDuration } from "../commands/mod/cluster-common.ts";
import type { EngineSettings } from "../cue-engine.ts";
import type { LoadedConfig } from "../config/load.ts";
import { platformPolicies } from "../config/policies.ts";
import { providerSetting, registrySetting, type Resolved } from "../config/settings.ts";
import type { Target } from "../config/target.ts";
import { engineAnswerCache } from "./answer-cache.ts";
import { loadModule, type LoadedModule } from "./load.ts";
import { locateModule, type ModuleLocation } from "./locate.ts";
import { BUILTIN_PROVIDERS } from "./providers.ts";
import { DEFAULT_MODULE_TIMEOUT_MS, ModuleRunner } from "./runner.ts";
import { sopsIdentities } from "./sops-keys.ts";
import { readSetFiles, readValuesFiles } from "./values.ts";
import { evaluatedComponent, portableSource, type EvaluatedComponent } from "./worker-protocol.ts";

type Env = Readonly<Record<string, string | undefined>>;

export interface RenderRequest {
  readonly path: string;
  readonly values: readonly string[];
  /** Values given as data, layered before the files (the controller's `spec.values`). */
  readonly valuesData?: readonly ValuesSource[] | undefined;
  /** The `--set` family in order of precedence; a `--set-file` input's file is read here. */
  readonly set: readonly (string | SetInput)[];
  /** Standard input, read when a values file is `-`. */
  readonly stdin?: NodeJS.ReadableStream | undefined;
  /** Where the secret strings of the inputs and the render are collected, for redaction. */
  readonly secrets?: SecretStrings | undefined;
  /** The command's config file, kubeconfig and namespace, resolved once for the whole run. */
  readonly target: Target;
  readonly releaseName?: string | undefined;
  /** `--release-prefix`. @default the module's `metadata.naming` */
  readonly naming?: NamingMode | undefined;
  readonly provider?: string | undefined;
  readonly strict: boolean;
  readonly registry?: string | undefined;
  /** Where the registry's TLS CA is (for `<module path>@<version>` paths). */
  readonly caFile?: string | undefined;
  /** Also build the components from the checked values (for `mod eval`). */
  readonly evaluateComponents?: boolean;
  /** How CUE engines start (environment, build, verbose notices). @default the command's env */
  readonly engine?: EngineSettings;
  /** The verbose report will be shown: also resolve where the CUE catalog comes from. */
  readonly explain?: boolean;
  /** `--module-timeout`: how long each step of a TS module's code may run (a duration). */
  readonly moduleTimeout?: string | undefined;
  /** Where a TS module's own output goes (the command's stderr). */
  readonly moduleOutput?: NodeJS.WritableStream | undefined;
  /**
   * Reads what other releases in the namespace provide (from the cluster), for interfaces the
   * module requires and does not provide itself; called only when the render needs it.
   * Absent: no cluster is consulted (docs/interfaces.md).
   */
  readonly readProvisions?: ReadProvisions | undefined;
  /**
   * Loads a CUE module (directory, registry setting) for this render: a long-running host (the
   * controller) keeps modules loaded in one engine between renders. Absent: a fresh engine per
   * render, its answers reused by content.
   */
  readonly loadCueModule?: CueModuleLoader | undefined;
}

/** Loads a CUE module for one render; the render calls `close` when done with it. */
export type CueModuleLoader = (
  location: Extract<ModuleLocation, { language: "cue" }>,
  registry: string | undefined,
) => Promise<LoadedModule>;

/** Reads the interfaces releases in `namespace` other than `release` provide. */
export type ReadProvisions = (namespace: string, release: string) => Promise<readonly ExternalProvision[]>;

export interface PreparedRender {
  readonly location: ModuleLocation;
  /** The module's metadata (a TS module itself lives in its worker). */
  readonly module: { readonly metadata: ModuleMetadata };
  readonly config: LoadedConfig;
  readonly settings: Readonly<Record<string, Resolved<unknown>>>;
  readonly result: RenderResult;
  /** Where the module came from: a published version, or a local directory. */
  readonly source: ReleaseSource;
  /** The module's components built from the checked values, when the request asked for them. */
  readonly components?: Readonly<Record<string, EvaluatedComponent>>;
}

/** The provider's name once it is known to be built in (loaded where the render runs). */
function chooseProvider(setting: Resolved<string> & { configured: readonly string[] }): string {
  if (setting.source === "default" && setting.configured.length > 1) {
    throw new OpmError("ProviderAmbiguous", {
      message: `several providers are configured (${setting.configured.join(", ")}) and none was chosen`,
      hint: "pass --provider <name> or set OPM_PROVIDER",
    });
  }
  if (BUILTIN_PROVIDERS[setting.value] === undefined) {
    throw new OpmError("UnknownProvider", {
      message: `unknown provider ${JSON.stringify(setting.value)} (from ${setting.source})`,
      hint: `known providers: ${Object.keys(BUILTIN_PROVIDERS).join(", ")}`,
    });
  }
  return setting.value;
}

/** `--module-timeout`, else OPM_MODULE_TIMEOUT, else the default; a positive duration. */
function moduleTimeoutMs(flag: string | undefined, env: Env): number {
  const text = flag ?? (env["OPM_MODULE_TIMEOUT"] || undefined);
  if (text === undefined) return DEFAULT_MODULE_TIMEOUT_MS;
  const ms = parseDuration(text);
  if (ms <= 0) {
    throw new OpmError("Usage", {
      message: `--module-timeout must be longer than 0 (got ${text})`,
      hint: "give a duration such as 30s or 2m",
    });
  }
  return ms;
}

interface RenderTarget {
  readonly namespace: Resolved<string>;
  readonly provider: string;
  readonly settings: Record<string, Resolved<unknown>>;
}

/** Namespace, provider and the settings `-v` reports, once the module's metadata is known. */
async function renderTarget(
  request: RenderRequest,
  env: Env,
  config: LoadedConfig,
  metadata: ModuleMetadata,
  registry: Resolved<string | undefined>,
): Promise<RenderTarget> {
  const kube = await request.target.kube();
  const namespace = await request.target.namespace(metadata.defaultNamespace);
  const providerName = providerSetting(request.provider, env, config.config);
  const provider = chooseProvider(providerName);
  const settings: Record<string, Resolved<unknown>> = {
    config: request.target.configFile,
    namespace,
    provider: providerName,
    kubeconfig: kube.kubeconfig,
    context: kube.context,
    registry,
  };
  return { namespace, provider, settings };
}

export async function prepareRender(request: RenderRequest, cwd: string, env: Env): Promise<PreparedRender> {
  const prepared = await prepareRenderOnce(request, cwd, env);
  // Whatever the render made secret is known before anything is printed or sent to a cluster.
  request.secrets?.addValues(prepared.result.values);
  for (const resource of prepared.result.resources) request.secrets?.addSecretObject(resource.object);
  return prepared;
}

async function prepareRenderOnce(request: RenderRequest, cwd: string, env: Env): Promise<PreparedRender> {
  const timeoutMs = moduleTimeoutMs(request.moduleTimeout, env);
  const engineSettings = request.engine ?? { env };
  const config = await request.target.config();
  if (request.caFile !== undefined)
    await (await import("../distribution/registry.ts")).checkCaFile({ caFile: request.caFile }, env, cwd);
  const { location, source } = await findModule(request, cwd, env);
  // Checked here, before any module code runs: an unknown rule is the config's error.
  const platform = await platformPolicies(config.config.policies, config.path, config.text);
  const registry = registrySetting(request.registry, env, config.config);
  // Module code (a TS module, `.ts` values files) runs in one worker, started on first need.
  let runner: Promise<ModuleRunner> | undefined;
  const moduleCode = () =>
    (runner ??= ModuleRunner.open({ env, timeoutMs, output: request.moduleOutput ?? process.stderr }));
  // CUE values files evaluate in the CUE module's engine, or in one started only when needed.
  let ownEngine: CueEngine | undefined;
  let moduleEngine: CueEngine | undefined;
  const readers = {
    cueEngine: async (): Promise<CueEngine> => {
      if (moduleEngine !== undefined) return moduleEngine;
      ownEngine ??= await (await import("../cue-engine.ts")).startCueEngine(engineSettings);
      return ownEngine;
    },
    typescript: async (file: string, name: string) => (await moduleCode()).loadValues(file, name),
    stdin: request.stdin,
    sopsIdentities: () => sopsIdentities(env),
    sensitive: (value: string) => request.secrets?.add(value),
  };
  const inputs = async (): Promise<{ values: ValuesSource[]; set: (string | SetInput)[] }> => ({
    values: [...(request.valuesData ?? []), ...(await readValuesFiles(request.values, cwd, readers))],
    set: await readSetFiles(request.set, cwd, (value) => request.secrets?.add(value)),
  });
  try {
    if (location.language === "ts") {
      const metadata = await (await moduleCode()).loadModule(location.file);
      const { values, set } = await inputs();
      const target = await renderTarget(request, env, config, metadata, registry);
      const job = {
        provider: target.provider,
        namespace: target.namespace.value,
        name: request.releaseName,
        values: values.map(portableSource),
        set,
        strict: request.strict,
        ...(request.naming === undefined ? {} : { naming: request.naming }),
        evaluateComponents: request.evaluateComponents === true,
        ...(platform.length === 0 ? {} : { policies: config.config.policies }),
      };
      const runner = await moduleCode();
      const outcome = await withProvisions(request, target, metadata.name, (provisions) =>
        runner.render({ ...job, ...(provisions === undefined ? {} : { provisions }) }, location.file),
      );
      return { location, source, module: { metadata }, config, settings: target.settings, ...outcome };
    }
    // Engine answers are reused by content, except when `-v` reports which engine build answers.
    const loaded =
      request.loadCueModule === undefined
        ? await loadModule(
            location,
            env,
            registry.value,
            engineSettings,
            request.explain === true ? undefined : engineAnswerCache(env, request.secrets),
          )
        : await request.loadCueModule(location, registry.value);
    moduleEngine = loaded.engine;
    try {
      const { values, set } = await inputs();
      const target = await renderTarget(request, env, config, loaded.module.metadata, registry);
      if (request.explain === true) {
        const engine = await readers.cueEngine();
        target.settings["catalog"] = await catalogSetting(engine, registry);
        target.settings["engine"] = (await import("../cue-engine.ts")).engineSetting(engine, env);
      }
      return await renderHere(request, { values, set }, target, {
        location,
        source,
        module: loaded.module,
        config,
        policies: platform,
      });
    } finally {
      await loaded.close();
    }
  } finally {
    await ownEngine?.close();
    await (await runner?.catch(() => undefined))?.close();
  }
}

/** A directory or file path, or a published `<module path>@<version>` pulled into the cache. */
async function findModule(
  request: RenderRequest,
  cwd: string,
  env: Env,
): Promise<{ location: ModuleLocation; source: ReleaseSource }> {
  if (request.path.includes("@")) {
    const remote = await import("../distribution/remote.ts");
    if (await remote.isRemoteModule(request.path, cwd)) {
      const fetched = await remote.fetchRemoteModule(
        request.path,
        { registry: request.registry, caFile: request.caFile, config: () => request.target.config() },
        cwd,
        env,
      );
      return { location: await locateModule(fetched.dir, cwd), source: fetched.source };
    }
  }
  const location = await locateModule(request.path, cwd);
  return {
    location,
    source: { kind: "local", module: location.language === "cue" ? location.dir : location.file },
  };
}

/**
 * Renders, and when an interface the module requires is provided by no component of its own
 * (OPM3301) and the command may consult the cluster, reads what other releases in the namespace
 * provide and renders again with that: a module that needs nothing from outside never waits on
 * the cluster, and render itself stays pure.
 */
async function withProvisions<T extends { readonly result: RenderResult }>(
  request: RenderRequest,
  target: RenderTarget,
  moduleName: string,
  run: (provisions: readonly ExternalProvision[] | undefined) => Promise<T>,
): Promise<T> {
  const first = await run(undefined);
  const unfulfilled = first.result.errors.some((e) => e.code === ErrorCodes.InterfaceUnfulfilled.code);
  if (!unfulfilled || request.readProvisions === undefined) return first;
  const provisions = await request.readProvisions(target.namespace.value, request.releaseName ?? moduleName);
  return run(provisions);
}

/** Renders a module loaded in this thread (a CUE module, whose code is CUE, not JS). */
async function renderHere(
  request: RenderRequest,
  inputs: { values: ValuesSource[]; set: (string | SetInput)[] },
  target: RenderTarget,
  loaded: {
    location: ModuleLocation;
    source: ReleaseSource;
    module: Module;
    config: LoadedConfig;
    policies: readonly Policy[];
  },
): Promise<PreparedRender> {
  const { location, source, module, config, policies } = loaded;
  const { render } = await import("../../sdk/index.ts");
  const provider = await BUILTIN_PROVIDERS[target.provider]!();
  const { result } = await withProvisions(request, target, module.metadata.name, async (provisions) => ({
    result: await render({
      module,
      provider,
      namespace: target.namespace.value,
      values: inputs.values,
      set: inputs.set,
      strict: request.strict,
      naming: request.naming,
      policies,
      provisions,
      ...(request.releaseName === undefined ? {} : { name: request.releaseName }),
    }),
  }));
  const prepared = { location, source, module, config, settings: target.settings, result };
  if (request.evaluateComponents !== true || result.release === undefined) return prepared;
  const built =
    typeof module.components === "function" ? await module.components(result.values) : module.components;
  const components = Object.fromEntries(
    Object.entries(built).map(([name, component]) => [name, evaluatedComponent(component)]),
  );
  return { ...prepared, components };
}

/**
 * Where `opmodel.dev/...` comes from for this run, for `-v`: the built-in catalog (any v0 version
 * resolves to the files shipped with opm, identified by their content version), unless the
 * registry setting routes opmodel.dev (or one of its modules) to a registry explicitly.
 */
async function catalogSetting(
  engine: CueEngine,
  registry: Resolved<string | undefined>,
): Promise<Resolved<string>> {
  const info = await engine.catalog(registry.value === undefined ? {} : { registry: registry.value });
  if (!info.enabled)
    return { value: "none built in: a registry serves opmodel.dev", source: "default", shadowed: [] };
  const fromRegistry = info.modules.filter((m) => m.servedBy === "registry").map((m) => m.path);
  const builtin = `built in ${info.version ?? ""} (${info.dir ?? ""})`;
  if (fromRegistry.length === 0) return { value: builtin, source: "default", shadowed: [] };
  const routed = fromRegistry.length === info.modules.length ? "opmodel.dev/*" : fromRegistry.join(", ");
  return {
    value: `${routed} from the registry (${registry.value ?? ""})`,
    source: registry.source,
    shadowed: [{ source: "default", value: builtin }],
  };
}
