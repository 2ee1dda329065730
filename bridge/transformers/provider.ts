// Reads a provider written in CUE (a `core.#Provider` value: metadata and `transformers` keyed
// by FQN) into a sdk Provider whose transformers evaluate in the engine. Requirements are read
// once, as data: label maps by export, resource and trait maps by their keys (the values are
// definitions or `_`, which never export).
import {
  brand,
  type Labels,
  type Provider,
  type Transformer,
  type TransformerMetadata,
} from "../../sdk/index.ts";
import type { CueEngine } from "../engine.ts";
import type { CueValue } from "../value.ts";
import { cueTransformer } from "./transformer.ts";

/** Where `cueProvider` finds the provider in a CUE value. */
export interface CueProviderOptions {
  /** The CUE path of the provider inside `value`. @default "#Provider" */
  readonly path?: string;
}

async function keysAt(engine: CueEngine, value: CueValue, path: string): Promise<string[]> {
  const found = await engine.lookup(value, path);
  if (found === undefined) return [];
  try {
    const fields = await engine.fields(found, { definitions: false, hidden: false, optional: false });
    return fields.map((f) => f.name).sort();
  } finally {
    await found.release();
  }
}

async function exportAt(engine: CueEngine, value: CueValue, path: string): Promise<unknown> {
  const found = await engine.lookup(value, path);
  if (found === undefined) return undefined;
  try {
    return await engine.export(found);
  } finally {
    await found.release();
  }
}

/** `handledResources` when the transformer declares it (an empty map renders nothing). */
async function optionalKeysAt(
  engine: CueEngine,
  value: CueValue,
  path: string,
): Promise<{ handledResources?: string[] }> {
  const found = await engine.lookup(value, path);
  if (found === undefined) return {};
  await found.release();
  return { handledResources: await keysAt(engine, value, path) };
}

function stringMap(raw: unknown): Record<string, string> {
  if (typeof raw !== "object" || raw === null) return {};
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
}

/** Every transformer of the provider at `path` in `value`, as sdk Transformers. */
export async function cueProvider(
  engine: CueEngine,
  value: CueValue,
  options: CueProviderOptions = {},
): Promise<Provider> {
  const root = options.path ?? "#Provider";
  const metadata = (await engine.export(value, { path: `${root}.metadata` })) as Record<string, unknown>;
  const transformers: Record<string, Transformer> = {};
  for (const key of await keysAt(engine, value, `${root}.transformers`)) {
    const at = `${root}.transformers.${JSON.stringify(key)}`;
    const transform = await engine.lookup(value, `${at}.#transform`);
    if (transform === undefined) throw new Error(`transformer ${key} has no #transform`);
    transformers[key] = cueTransformer(engine, {
      metadata: (await exportAt(engine, value, `${at}.metadata`)) as TransformerMetadata,
      requiredLabels: stringMap(await exportAt(engine, value, `${at}.requiredLabels`)),
      optionalLabels: stringMap(await exportAt(engine, value, `${at}.optionalLabels`)),
      requiredResources: await keysAt(engine, value, `${at}.requiredResources`),
      optionalResources: await keysAt(engine, value, `${at}.optionalResources`),
      requiredTraits: await keysAt(engine, value, `${at}.requiredTraits`),
      optionalTraits: await keysAt(engine, value, `${at}.optionalTraits`),
      ...(await optionalKeysAt(engine, value, `${at}.handledResources`)),
      transform,
      matches: await engine.lookup(value, `${at}.#Matches`),
    });
  }
  return brand("Provider", {
    kind: "Provider",
    metadata: {
      name: String(metadata["name"]),
      description: String(metadata["description"] ?? ""),
      version: String(metadata["version"] ?? ""),
      minVersion: String(metadata["minVersion"] ?? ""),
      labels: (metadata["labels"] ?? {}) as Labels,
    },
    transformers,
  });
}

/** Which CUE package `loadCueProvider` loads, and the engine to load it with. */
export interface LoadCueProviderOptions extends CueProviderOptions {
  /** The engine the provider's transformers evaluate in; keep it open while rendering. */
  readonly engine: CueEngine;
  /** A CUE package directory holding (or importing) the provider. */
  readonly dir: string;
  /** CUE_REGISTRY for the package's dependencies, for this load only. */
  readonly registry?: string;
  /** The package name, when the directory holds several. */
  readonly package?: string;
  /** Files by path (absolute, or relative to dir) that replace or add to what is on disk. */
  readonly overlay?: Readonly<Record<string, string>>;
}

/** Loads the package at `dir` and reads the provider in it; `close()` releases its values. */
export async function loadCueProvider(
  options: LoadCueProviderOptions,
): Promise<{ provider: Provider; close(): Promise<void> }> {
  const { engine, dir, registry, overlay } = options;
  const loaded = await engine.load({
    dir,
    ...(registry === undefined ? {} : { registry }),
    ...(options.package === undefined ? {} : { package: options.package }),
    ...(overlay === undefined ? {} : { overlay }),
  });
  const provider = await cueProvider(engine, loaded.value, options);
  return { provider, close: () => loaded.value.release() };
}
