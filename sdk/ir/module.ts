// Module (the application), ModuleRelease (a module bound to values and a namespace) and
// Policy. Reference sections 1.6–1.8.
import type { SourceLocation } from "../errors.ts";
import { hasKind } from "./brand.ts";
import type { Component } from "./component.ts";
import type { Labels, PolicyRuleDef, ViolationAction } from "./definitions.ts";

/** One problem found in values; `path` is rooted at the values object (no `values.` prefix). */
export interface ValuesIssue {
  /** Where the problem is, e.g. `["service", "port"]`. */
  readonly path: readonly (string | number)[];
  /** What is wrong with the value there, in the schema's words. */
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
  /** Every problem found; empty when the values are valid. */
  readonly issues: readonly ValuesIssue[];
  /** The checked values with the schema's defaults applied, when the schema produces them. */
  readonly value?: unknown;
}

/**
 * The module's `#config`: a schema handle so sdk depends on neither zod nor CUE. The dsl wraps
 * a zod schema, the bridge a CUE value. `validate` must report every problem, not the first.
 */
export interface ConfigSchema {
  /** Checks `values` against the schema and reports every problem, not only the first. */
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

/**
 * What names and identifies a module; the release and every rendered object derive their identity and labels
 * from it.
 */
export interface ModuleMetadata {
  /** `<path>@v<major>`, e.g. `example.com/modules@v0`: where the module lives. */
  readonly apiVersion: string;
  /** Kebab-case name; with `apiVersion` it makes the FQN. */
  readonly name: string;
  /** SemVer 2.0 version of the module (no leading `v`). */
  readonly version: string;
  /** `<apiVersion>#<PascalName>`. */
  readonly fqn: string;
  /** UUIDv5(OPM, "<fqn>:<version>"). */
  readonly identity: string;
  /**
   * Where releases of the module go when neither `-n` nor `OPM_NAMESPACE` says (docs/architecture.md,
   * decision 3).
   */
  readonly defaultNamespace?: string;
  /** One line on what the module is for. */
  readonly description?: string;
  /** How the module's objects are named unless the caller chooses. @default "component" */
  readonly naming?: NamingMode;
  /** Includes `module.opmodel.dev/{name,version,uuid}`. */
  readonly labels: Labels;
  /** The module's annotations; they reach every release of it. */
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

/**
 * Rules applied to some components of a module (docs/policies.md): from the module itself or from the
 * platform's configuration.
 */
export interface Policy {
  /** The IR discriminant. */
  readonly kind: "Policy";
  /** The policy's name (how results and messages name it), labels and annotations. */
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
  /**
   * The rules' settings, keyed by each rule's spec key (e.g. `noLatestImage: { requireDigest: true }`),
   * merged over the rule's defaults.
   */
  readonly spec: Readonly<Record<string, unknown>>;
}

/**
 * Builds a module's policies from concrete values, for policies whose rules, scope or specs
 * depend on them: TS modules close over config, CUE fills `#config` and reads `#policies`.
 */
export type PoliciesFactory = (
  values: unknown,
) => Readonly<Record<string, Policy>> | Promise<Readonly<Record<string, Policy>>>;

/**
 * A module as every layer after authoring sees it, from a TS `defineModule` or a CUE module alike: its
 * metadata, components, policies, config schema and default values.
 */
export interface Module {
  /** The IR discriminant. */
  readonly kind: "Module";
  /** Name, version, FQN, identity and labels. */
  readonly metadata: ModuleMetadata;
  /** Keyed by the default component name. A factory when components depend on values. */
  readonly components: Readonly<Record<string, Component>> | ComponentsFactory;
  /** The module's own policies, keyed by name; a factory when they depend on values. */
  readonly policies: Readonly<Record<string, Policy>> | PoliciesFactory;
  /** The schema values are validated against (`#config`); without one, any values pass. */
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

/** What identifies a release: a module deployed under a name into a namespace. */
export interface ModuleReleaseMetadata {
  /** The release name (an RFC-1123 label); defaults to the module name. */
  readonly name: string;
  /** The namespace the release renders into (docs/architecture.md, decision 3). */
  readonly namespace: string;
  /** The module's fqn and version. */
  readonly fqn: string;
  /** The module version the release runs. */
  readonly version: string;
  /** UUIDv5(OPM, "<module fqn>:<release name>:<namespace>"). */
  readonly identity: string;
  /** Module labels plus `module-release.opmodel.dev/{name,version,uuid}`. */
  readonly labels: Labels;
  /** The module's annotations, carried to the release. */
  readonly annotations: Labels;
}

/** A module bound to concrete, validated values and a namespace; components are concrete. */
export interface ModuleRelease {
  /** The IR discriminant. */
  readonly kind: "ModuleRelease";
  /** Name, namespace, identity and labels of the release. */
  readonly metadata: ModuleReleaseMetadata;
  /** The metadata of the module released. */
  readonly module: ModuleMetadata;
  /** The final values: every layer merged (docs/architecture.md, decision 2) and validated. */
  readonly values: unknown;
  /** Keyed by component name, in name order. */
  readonly components: Readonly<Record<string, Component>>;
  /** The module's policies, keyed by name (platform policies are added at render). */
  readonly policies: Readonly<Record<string, Policy>>;
}

/** True for a module (branded by `defineModule`, or plain data with `kind: "Module"` and metadata). */
export function isModule(x: unknown): x is Module {
  return hasKind(x, "Module");
}
/** True for a release. */
export function isModuleRelease(x: unknown): x is ModuleRelease {
  return hasKind(x, "ModuleRelease");
}
/** True for a policy. */
export function isPolicy(x: unknown): x is Policy {
  return hasKind(x, "Policy");
}
