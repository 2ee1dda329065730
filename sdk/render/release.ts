// Binds a module to concrete values and a namespace: resolves its components (calling the
// factory of TS modules, or the bridge's for CUE), names them, and computes release identity
// and labels (docs/upstream-compatibility.md; docs/architecture.md, decision 1 and decision 3).
import { OpmError } from "../errors.ts";
import { checkName, checkVersion } from "../identity/names.ts";
import { moduleLabels, releaseLabels, stringifyLabels } from "../identity/labels.ts";
import { releaseIdentity } from "../identity/uuid.ts";
import { brand } from "../ir/brand.ts";
import { isComponent, type Component } from "../ir/component.ts";
import {
  isPolicy,
  type InterfaceBindings,
  type Module,
  type ModuleRelease,
  type NamingMode,
  type Policy,
} from "../ir/module.ts";
import { CONFIG_SECRETS_COMPONENT, configSecretsComponent } from "./config-secrets.ts";
import { requiresAny, wireInterfaces, type ExternalProvision, type WiringPlan } from "./interfaces.ts";
import { PROVIDES_COMPONENT, provisionsComponent } from "./provisions.ts";

/** What a caller decides about a release beyond the module and its values. */
export interface ReleaseOptions {
  /** Release name; defaults to the module name. */
  readonly name?: string | undefined;
  /** Target namespace; defaults to the module's `defaultNamespace`, then `default`. */
  readonly namespace?: string | undefined;
  /** Output naming; interface hosts follow it. @default the module's, else "component" */
  readonly naming?: NamingMode | undefined;
  /** Interfaces other releases in the namespace provide; undefined when nobody looked. */
  readonly provisions?: readonly ExternalProvision[] | undefined;
}

/** The namespace used when neither the caller nor the module names one. */
export const FALLBACK_NAMESPACE = "default";

/**
 * The namespace a release of `module` renders into: the requested one, else the module's `defaultNamespace`,
 * else `default`. (The CLI resolves `-n`, `OPM_NAMESPACE` and the kube context before it asks;
 * docs/architecture.md, decision 3.)
 */
export function resolveNamespace(module: Module, requested: string | undefined): string {
  return requested ?? module.metadata.defaultNamespace ?? FALLBACK_NAMESPACE;
}

/**
 * Builds the release. Returns every problem found (invalid names, a failing factory) rather
 * than the first. `values` must already be merged and validated.
 */
export async function buildRelease(
  module: Module,
  values: unknown,
  options: ReleaseOptions = {},
): Promise<{ release?: ModuleRelease; wiring: WiringPlan; errors: OpmError[] }> {
  const errors: OpmError[] = [];
  const meta = module.metadata;
  const name = options.name ?? meta.name;
  const namespace = resolveNamespace(module, options.namespace);
  for (const problem of [
    checkName(meta.name, "module name"),
    checkVersion(meta.version, "module version"),
    checkName(name, "release name"),
    checkName(namespace, "namespace"),
  ]) {
    if (problem !== undefined) errors.push(problem);
  }

  const build = async (bindings?: InterfaceBindings): Promise<Readonly<Record<string, Component>>> => {
    try {
      return checkedComponents(
        typeof module.components === "function"
          ? await module.components(values, bindings)
          : module.components,
      );
    } catch (cause) {
      errors.push(
        new OpmError("ComponentsUnresolved", {
          message: `module ${meta.name}: building components from values failed: ${messageOf(cause)}`,
          cause,
        }),
      );
      return {};
    }
  };
  let raw = await build();
  // Interfaces: wire what the components require, then build them again with the values.
  const naming = options.naming ?? meta.naming ?? "component";
  const wired = wireInterfaces({
    components: raw,
    release: name,
    namespace,
    naming,
    external: options.provisions,
    locate: module.locateComponent,
  });
  if (wired.errors.length > 0) return { wiring: wired.plan, errors: [...errors, ...wired.errors] };
  if (requiresAny(raw) && typeof module.components === "function") raw = await build(wired.bindings);
  const published = provisionsComponent(wired.published, { name, naming });
  if (published !== undefined) raw = withReserved(raw, PROVIDES_COMPONENT, published, meta.name, errors);

  const secrets = configSecretsComponent(values, raw);
  errors.push(...secrets.errors);
  if (secrets.component !== undefined)
    raw = withReserved(raw, CONFIG_SECRETS_COMPONENT, secrets.component, meta.name, errors);

  const components: Record<string, Component> = {};
  for (const key of Object.keys(raw).sort()) {
    const component = raw[key]!;
    const componentName = component.metadata.name === "" ? key : component.metadata.name;
    const invalid = checkName(componentName, "component name");
    if (invalid !== undefined) errors.push(invalid);
    components[componentName] =
      componentName === component.metadata.name
        ? component
        : { ...component, metadata: { ...component.metadata, name: componentName } };
  }
  const policies = await policiesFor(module, values, errors);
  if (errors.length > 0) return { wiring: wired.plan, errors };

  const identity = releaseIdentity(meta.fqn, name, namespace);
  const labels = {
    ...stringifyLabels(meta.labels),
    ...moduleLabels(meta.name, meta.version, meta.identity),
    ...releaseLabels(name, meta.version, identity),
  };
  const release: ModuleRelease = brand("ModuleRelease", {
    kind: "ModuleRelease",
    metadata: {
      name,
      namespace,
      fqn: meta.fqn,
      version: meta.version,
      identity,
      labels,
      annotations: stringifyLabels(meta.annotations),
    },
    module: meta,
    values,
    components,
    policies,
  });
  return { release, wiring: wired.plan, errors };
}

/**
 * The module's policies for `values`. A factory that fails is an error, never an empty set: a
 * blocking policy left out would let through what it exists to stop.
 */
async function policiesFor(
  module: Module,
  values: unknown,
  errors: OpmError[],
): Promise<Readonly<Record<string, Policy>>> {
  if (typeof module.policies !== "function") return module.policies;
  try {
    const built: unknown = await module.policies(values);
    if (typeof built !== "object" || built === null || Array.isArray(built))
      throw new Error(
        `policies must be a map of name to policy, got ${built === null ? "null" : typeof built}`,
      );
    for (const [key, policy] of Object.entries(built)) {
      if (!isPolicy(policy)) throw new Error(`policies.${key} is not a policy (no kind "Policy")`);
    }
    return built as Readonly<Record<string, Policy>>;
  } catch (cause) {
    errors.push(
      cause instanceof OpmError
        ? cause
        : new OpmError("PolicyUnresolved", {
            message: `module ${module.metadata.name}: building policies from values failed: ${messageOf(cause)}`,
            hint: "fix the module's policies for these values",
            cause,
          }),
    );
    return {};
  }
}

/** `raw` with the pipeline's own component added under its reserved name, unless a module took it. */
function withReserved(
  raw: Readonly<Record<string, Component>>,
  name: string,
  component: Component,
  moduleName: string,
  errors: OpmError[],
): Readonly<Record<string, Component>> {
  const taken = Object.entries(raw).some(
    ([key, c]) => (c.metadata.name === "" ? key : c.metadata.name) === name,
  );
  if (!taken) return { ...raw, [name]: component };
  const what =
    name === CONFIG_SECRETS_COMPONENT
      ? "the Secrets of the module's config"
      : "the interfaces the module provides";
  errors.push(
    new OpmError("ComponentsUnresolved", {
      message: `module ${moduleName}: component name ${name} is taken by ${what}`,
      hint: "rename the component",
    }),
  );
  return raw;
}

/**
 * What components() returned (module code's value), refused unless it is a map of components:
 * a number or a list would otherwise render as a module with nothing in it.
 */
function checkedComponents(built: unknown): Readonly<Record<string, Component>> {
  const what = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "a list" : typeof value);
  if (typeof built !== "object" || built === null || Array.isArray(built))
    throw new Error(`components must be a map of name to component, got ${what(built)}`);
  for (const [key, component] of Object.entries(built)) {
    if (!isComponent(component))
      throw new Error(
        `components.${key} is not a component (got ${what(component)} without kind "Component")`,
      );
  }
  return built as Readonly<Record<string, Component>>;
}

/** A thrown value as text; user code can throw anything, even a value whose message throws. */
export function messageOf(cause: unknown): string {
  try {
    return cause instanceof Error ? cause.message : String(cause);
  } catch {
    return "a thrown value that cannot be shown";
  }
}
