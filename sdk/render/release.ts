// Binds a module to concrete values and a namespace: resolves its components (calling the
// factory of TS modules, or the bridge's for CUE), names them, and computes release identity
// and labels (docs/upstream-compatibility.md; docs/architecture.md, decision 1 and decision 3).
import { OpmError } from "../errors.ts";
import { checkName, checkVersion } from "../identity/names.ts";
import { moduleLabels, releaseLabels, stringifyLabels } from "../identity/labels.ts";
import { releaseIdentity } from "../identity/uuid.ts";
import { brand } from "../ir/brand.ts";
import { isComponent, type Component } from "../ir/component.ts";
import type { Module, ModuleRelease } from "../ir/module.ts";
import { CONFIG_SECRETS_COMPONENT, configSecretsComponent } from "./config-secrets.ts";

export interface ReleaseOptions {
  /** Release name; defaults to the module name. */
  readonly name?: string | undefined;
  /** Target namespace; defaults to the module's `defaultNamespace`, then `default`. */
  readonly namespace?: string | undefined;
}

/** The namespace used when neither the caller nor the module names one. */
export const FALLBACK_NAMESPACE = "default";

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
): Promise<{ release?: ModuleRelease; errors: OpmError[] }> {
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

  let raw: Readonly<Record<string, Component>> = {};
  try {
    raw = checkedComponents(
      typeof module.components === "function" ? await module.components(values) : module.components,
    );
  } catch (cause) {
    errors.push(
      new OpmError("ComponentsUnresolved", {
        message: `module ${meta.name}: building components from values failed: ${messageOf(cause)}`,
        cause,
      }),
    );
  }

  const secrets = configSecretsComponent(values);
  errors.push(...secrets.errors);
  if (secrets.component !== undefined) {
    const taken = Object.entries(raw).some(
      ([key, c]) => (c.metadata.name === "" ? key : c.metadata.name) === CONFIG_SECRETS_COMPONENT,
    );
    if (taken) {
      errors.push(
        new OpmError("ComponentsUnresolved", {
          message: `module ${meta.name}: component name ${CONFIG_SECRETS_COMPONENT} is taken by the Secrets of the module's config`,
          hint: "rename the component",
        }),
      );
    } else raw = { ...raw, [CONFIG_SECRETS_COMPONENT]: secrets.component };
  }

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
  if (errors.length > 0) return { errors };

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
    policies: module.policies,
  });
  return { release, errors };
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
