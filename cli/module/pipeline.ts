// The shared front half of `mod build`, `mod vet` and `mod eval`: resolve settings, find and
// load the module, read values files, pick the provider and render. Commands only present the
// outcome. Heavy parts (provider, CUE engine, esbuild) are imported here, on demand.
import type { CueEngine } from "../../bridge/index.ts";
import type { ReleaseSource } from "../../providers/kubernetes/cluster/index.ts";
import type { Component, Module, Provider, RenderResult } from "../../sdk/index.ts";
import { OpmError } from "../../sdk/errors.ts";
import type { EngineSettings } from "../cue-engine.ts";
import { contextNamespace } from "../config/kubeconfig.ts";
import { loadConfig, type LoadedConfig } from "../config/load.ts";
import {
  configPath,
  kubeSettings,
  namespaceSetting,
  providerSetting,
  registrySetting,
  type Resolved,
} from "../config/settings.ts";
import { loadModule } from "./load.ts";
import { locateModule, type ModuleLocation } from "./locate.ts";
import { readValuesFiles } from "./values.ts";

export interface RenderRequest {
  readonly path: string;
  readonly values: readonly string[];
  readonly set: readonly string[];
  readonly namespace?: string | undefined;
  readonly releaseName?: string | undefined;
  readonly provider?: string | undefined;
  readonly strict: boolean;
  readonly kubeconfig?: string | undefined;
  readonly context?: string | undefined;
  readonly configPath?: string | undefined;
  readonly registry?: string | undefined;
  /** Where the registry's TLS CA is (for `<module path>@<version>` paths). */
  readonly caFile?: string | undefined;
  /** Also build the components from the checked values (for `mod eval`). */
  readonly evaluateComponents?: boolean;
  /** How CUE engines start (environment, build, verbose notices). @default the command's env */
  readonly engine?: EngineSettings;
  /** The verbose report will be shown: also resolve where the CUE catalog comes from. */
  readonly explain?: boolean;
}

export interface PreparedRender {
  readonly location: ModuleLocation;
  readonly module: Module;
  readonly config: LoadedConfig;
  readonly settings: Readonly<Record<string, Resolved<unknown>>>;
  readonly result: RenderResult;
  /** Where the module came from: a published version, or a local directory. */
  readonly source: ReleaseSource;
  /**
   * The module's components built from the checked values, when the request asked for them:
   * a CUE module's factory needs its engine, which is closed once prepareRender returns.
   */
  readonly components?: Readonly<Record<string, Component>>;
}

/** Providers built into this CLI, loaded only when chosen. */
const BUILTIN_PROVIDERS: Readonly<Record<string, () => Promise<Provider>>> = {
  kubernetes: async () => (await import("../../providers/kubernetes/index.ts")).kubernetesProvider,
};

async function chooseProvider(
  setting: Resolved<string> & { configured: readonly string[] },
): Promise<Provider> {
  if (setting.source === "default" && setting.configured.length > 1) {
    throw new OpmError("ProviderAmbiguous", {
      message: `several providers are configured (${setting.configured.join(", ")}) and none was chosen`,
      hint: "pass --provider <name> or set OPM_PROVIDER",
    });
  }
  const load = BUILTIN_PROVIDERS[setting.value];
  if (load === undefined) {
    throw new OpmError("UnknownProvider", {
      message: `unknown provider ${JSON.stringify(setting.value)} (from ${setting.source})`,
      hint: `known providers: ${Object.keys(BUILTIN_PROVIDERS).join(", ")}`,
    });
  }
  return load();
}

export async function prepareRender(
  request: RenderRequest,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<PreparedRender> {
  const configFile = configPath(request.configPath, env, cwd);
  const engineSettings = request.engine ?? { env };
  const config = await loadConfig(configFile.value, engineSettings);
  const { location, source } = await findModule(request, cwd, env);
  const registry = registrySetting(request.registry, env, config.config);
  const loaded = await loadModule(location, env, registry.value, engineSettings);
  // CUE values files evaluate in the CUE module's engine, or in one started only when needed.
  let ownEngine: CueEngine | undefined;
  const cueEngine = async (): Promise<CueEngine> => {
    if (loaded.engine !== undefined) return loaded.engine;
    ownEngine ??= await (await import("../cue-engine.ts")).startCueEngine(engineSettings);
    return ownEngine;
  };
  try {
    return await renderLoaded(request, cwd, env, cueEngine, {
      source,
      location,
      module: loaded.module,
      config,
      configFile,
      registry,
    });
  } finally {
    await ownEngine?.close();
    await loaded.close();
  }
}

/** A directory or file path, or a published `<module path>@<version>` pulled into the cache. */
async function findModule(
  request: RenderRequest,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ location: ModuleLocation; source: ReleaseSource }> {
  if (request.path.includes("@")) {
    const remote = await import("../distribution/remote.ts");
    if (await remote.isRemoteModule(request.path, cwd)) {
      const fetched = await remote.fetchRemoteModule(
        request.path,
        { registry: request.registry, caFile: request.caFile, configPath: request.configPath },
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

async function renderLoaded(
  request: RenderRequest,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  cueEngine: () => Promise<CueEngine>,
  loaded: {
    source: ReleaseSource;
    location: ModuleLocation;
    module: Module;
    config: LoadedConfig;
    configFile: Resolved<string>;
    registry: Resolved<string | undefined>;
  },
): Promise<PreparedRender> {
  const { source, location, module, config, configFile, registry } = loaded;
  const values = await readValuesFiles(request.values, cwd, env, cueEngine);

  const kube = kubeSettings({ kubeconfig: request.kubeconfig, context: request.context }, env, config.config);
  const earlier = [
    request.namespace,
    env["OPM_NAMESPACE"],
    module.metadata.defaultNamespace,
    config.config.kubernetes?.namespace,
  ];
  // The kubeconfig is read only when nothing before it decides the namespace.
  const fromContext = earlier.some((v) => v !== undefined && v !== "")
    ? undefined
    : await contextNamespace(kube.kubeconfig.value, kube.context.value, env);
  const namespace = namespaceSetting(
    request.namespace,
    env,
    module.metadata.defaultNamespace,
    config.config,
    fromContext,
  );
  const providerName = providerSetting(request.provider, env, config.config);
  const provider = await chooseProvider(providerName);
  const { render } = await import("../../sdk/index.ts");
  const result = await render({
    module,
    provider,
    namespace: namespace.value,
    values,
    set: request.set,
    strict: request.strict,
    ...(request.releaseName === undefined ? {} : { name: request.releaseName }),
  });
  const settings: Record<string, Resolved<unknown>> = {
    config: configFile,
    namespace,
    provider: providerName,
    kubeconfig: kube.kubeconfig,
    context: kube.context,
    registry,
  };
  if (request.explain === true && location.language === "cue") {
    settings["catalog"] = await catalogSetting(await cueEngine(), registry);
  }
  if (request.evaluateComponents === true && result.release !== undefined) {
    const components =
      typeof module.components === "function" ? await module.components(result.values) : module.components;
    return { location, source, module, config, settings, result, components };
  }
  return { location, source, module, config, settings, result };
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
