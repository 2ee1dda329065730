// Module (the application), ModuleRelease (a module bound to values and a namespace) and
// Policy. Reference sections 1.6–1.8.
import type { SourceLocation } from "../errors.ts";
import { hasKind } from "./brand.ts";
import type { Component } from "./component.ts";
import type { Labels, PolicyRuleDef, ViolationAction } from "./definitions.ts";

/** One problem found in values; `path` is rooted at the values object (no `values.` prefix). */
export interface ValuesIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** What the schema expected, e.g. `number` or `one of "a", "b"`. */
  readonly expected?: string;
  /**
   * `notAllowed`: the schema has no such field here (a closed struct, or a branch of a
   * disjunction that a later values layer did not choose).
   */
  readonly kind?: "notAllowed";
}

/** The outcome of checking values; `value` is the checked (possibly defaulted) values. */
export interface ConfigCheck {
  readonly issues: readonly ValuesIssue[];
  readonly value?: unknown;
}

/**
 * The module's `#config`: a schema handle so sdk depends on neither zod nor CUE. The dsl wraps
 * a zod schema, the bridge a CUE value. `validate` must report every problem, not the first.
 */
export interface ConfigSchema {
  validate(values: unknown): ConfigCheck | Promise<ConfigCheck>;
  /** A JSON Schema of the config, for docs and editors, when the handle can produce one. */
  toJSONSchema?(): unknown;
}

/**
 * How rendered objects are named (docs/architecture.md, decision 7): `component` keeps each base
 * name (upstream's baseline); `release-prefixed` names them `<release>-<base>` and labels them
 * and their selectors with `app.kubernetes.io/instance: <release>`, so two releases of one
 * module can share a namespace.
 */
export type NamingMode = "component" | "release-prefixed";

export interface ModuleMetadata {
  readonly apiVersion: string;
  readonly name: string;
  readonly version: string;
  /** `<apiVersion>#<PascalName>`. */
  readonly fqn: string;
  /** UUIDv5(OPM, "<fqn>:<version>"). */
  readonly identity: string;
  readonly defaultNamespace?: string;
  readonly description?: string;
  /** How the module's objects are named unless the caller chooses. @default "component" */
  readonly naming?: NamingMode;
  /** Includes `module.opmodel.dev/{name,version,uuid}`. */
  readonly labels: Labels;
  readonly annotations: Labels;
}

/**
 * The values of the interfaces each component requires, by component key then local name: the
 * provider's values with `host` set (docs/interfaces.md).
 */
export type InterfaceBindings = Readonly<
  Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>
>;

/**
 * Builds components from concrete values: TS modules close over config, CUE fills `#config`.
 * Called first without `bindings` to find what components provide and require (a component that
 * requires interfaces may then read placeholders, and its spec is not used), then, when any
 * component requires an interface, again with the wired values.
 */
export type ComponentsFactory = (
  values: unknown,
  bindings?: InterfaceBindings,
) => Readonly<Record<string, Component>> | Promise<Readonly<Record<string, Component>>>;

export interface Policy {
  readonly kind: "Policy";
  readonly metadata: { readonly name: string; readonly labels?: Labels; readonly annotations?: Labels };
  /** Keyed by rule FQN. */
  readonly rules: Readonly<Record<string, PolicyRuleDef>>;
  /**
   * Selects components: those with all of `matchLabels` and those named in `components` (either
   * suffices). With neither, the policy applies to every component.
   */
  readonly appliesTo: {
    readonly matchLabels?: Readonly<Record<string, string>>;
    /** Component names. */
    readonly components?: readonly string[];
  };
  /** What a violation of any of the rules does, instead of each rule's own `onViolation`. */
  readonly onViolation?: ViolationAction;
  readonly spec: Readonly<Record<string, unknown>>;
}

export interface Module {
  readonly kind: "Module";
  readonly metadata: ModuleMetadata;
  /** Keyed by the default component name. A factory when components depend on values. */
  readonly components: Readonly<Record<string, Component>> | ComponentsFactory;
  readonly policies: Readonly<Record<string, Policy>>;
  readonly config?: ConfigSchema;
  /** The author's concrete default values. */
  readonly values: unknown;
  /** Where the author wrote the value at a path of `values`, for errors about it. */
  readonly locateValue?: (path: readonly (string | number)[]) => SourceLocation | undefined;
  /**
   * Where the author defined a component (by its default name), or with `field` one of its
   * fields (`dependsOn`), for errors about it.
   */
  readonly locateComponent?: (name: string, field?: string) => SourceLocation | undefined;
}

export interface ModuleReleaseMetadata {
  readonly name: string;
  readonly namespace: string;
  /** The module's fqn and version. */
  readonly fqn: string;
  readonly version: string;
  /** UUIDv5(OPM, "<module fqn>:<release name>:<namespace>"). */
  readonly identity: string;
  /** Module labels plus `module-release.opmodel.dev/{name,version,uuid}`. */
  readonly labels: Labels;
  readonly annotations: Labels;
}

/** A module bound to concrete, validated values and a namespace; components are concrete. */
export interface ModuleRelease {
  readonly kind: "ModuleRelease";
  readonly metadata: ModuleReleaseMetadata;
  readonly module: ModuleMetadata;
  readonly values: unknown;
  /** Keyed by component name, in name order. */
  readonly components: Readonly<Record<string, Component>>;
  readonly policies: Readonly<Record<string, Policy>>;
}

export function isModule(x: unknown): x is Module {
  return hasKind(x, "Module");
}
export function isModuleRelease(x: unknown): x is ModuleRelease {
  return hasKind(x, "ModuleRelease");
}
export function isPolicy(x: unknown): x is Policy {
  return hasKind(x, "Policy");
}
