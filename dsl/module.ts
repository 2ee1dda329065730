// `defineModule`: the TS counterpart of a CUE `#Module`. The config is a zod schema (`#config`),
// `values` the author's defaults, and `components` a function of the validated config, so a
// component can be computed from values with ordinary TS (maps, conditionals) the way CUE uses
// comprehensions. Names, versions and values are checked by the render pipeline, which reports
// every problem at once.
import {
  brand,
  type Component,
  fqnOf,
  type InterfaceBindings,
  type Labels,
  type Module,
  moduleIdentity,
  moduleLabels,
  type NamingMode,
  OpmError,
  type Policy,
} from "../sdk/index.ts";
import type { z } from "zod";
import { isComponentDraft, toComponent, type ComponentDraft } from "./component.ts";
import { isRequiringDraft, toRequiringComponent, type RequiringDraft } from "./interface.ts";
import { toPolicy, type PolicyDraft } from "./policy.ts";
import { zodConfigSchema } from "./schema.ts";

/**
 * What an author writes in a module's `metadata`; `defineModule` adds the FQN, identity and the
 * `module.opmodel.dev/*` labels.
 */
export interface ModuleMetadataInit {
  /** `<path>@v<major>`, e.g. `example.com/modules@v0`. */
  readonly apiVersion: string;
  /** RFC-1123 name; the FQN is `<apiVersion>#<PascalName>`. */
  readonly name: string;
  /** SemVer 2.0 without a leading `v`. */
  readonly version: string;
  /**
   * Where releases go unless `-n`, `OPM_NAMESPACE` or the caller says otherwise
   * (docs/architecture.md, decision 3).
   */
  readonly defaultNamespace?: string;
  /** One line on what the module is for. */
  readonly description?: string;
  /**
   * How rendered objects are named unless the command chooses (`opm mod apply --release-prefix`):
   * `release-prefixed` names them `<release>-<name>`, so two releases of the module can share a
   * namespace (docs/authoring.md, "Release naming"). @default "component", as upstream
   */
  readonly naming?: NamingMode;
  /** The module's own labels; they reach its releases and every rendered object. */
  readonly labels?: Labels;
  /** The module's own annotations; they reach its releases and every rendered object. */
  readonly annotations?: Labels;
}

/**
 * What `defineModule` takes: metadata, the config schema, the defaults, and how components are
 * built from checked values.
 */
export interface ModuleInit<Config extends z.ZodType> {
  /** Name, version and where the module lives. */
  readonly metadata: ModuleMetadataInit;
  /** The value schema (`#config`). */
  readonly config: Config;
  /** The author's defaults; every `-f` file and `--set` layers on top of them. */
  readonly values: z.input<Config>;
  /** Builds the components from validated values, keyed by default component name. */
  readonly components: (
    config: z.output<Config>,
  ) => Readonly<Record<string, ComponentDraft<unknown> | RequiringDraft | Component>>;
  /**
   * The module's own policies (docs/policies.md), keyed by name; build each with `policy(...)`.
   * A function of the validated config when their rules, scope or specs depend on values.
   */
  readonly policies?:
    | Readonly<Record<string, PolicyDraft>>
    | ((config: z.output<Config>) => Readonly<Record<string, PolicyDraft>>);
}

/** A module defined in TS: the IR plus the zod schema it was defined with. */
export interface TsModule<Config extends z.ZodType = z.ZodType> extends Module {
  /**
   * The zod schema the module was defined with, for TS callers that want the zod type itself
   * (the IR's `config` wraps it for the pipeline).
   */
  readonly configSchema: Config;
}

function namedComponents(
  built: Readonly<Record<string, ComponentDraft<unknown> | RequiringDraft | Component>>,
  bindings: InterfaceBindings | undefined,
): Record<string, Component> {
  const out: Record<string, Component> = {};
  for (const [key, entry] of Object.entries(built)) {
    if (isComponentDraft(entry)) out[key] = toComponent(entry, key);
    else if (isRequiringDraft(entry)) out[key] = toRequiringComponent(entry, key, bindings?.[key]);
    else if (typeof entry === "object" && entry !== null && (entry as Component).kind === "Component") {
      out[key] = entry;
    } else {
      throw new OpmError("InvalidModule", {
        message: `components.${key} is not a component`,
        hint: "build it with component(...)",
      });
    }
  }
  return out;
}

function toPolicies(drafts: Readonly<Record<string, PolicyDraft>>): Record<string, Policy> {
  const policies: Record<string, Policy> = {};
  for (const [key, draft] of Object.entries(drafts)) policies[key] = toPolicy(draft, key);
  return policies;
}

/**
 * Defines a module in TypeScript: the default export of a `*.opm.ts` file, which `opm` loads
 * and `render` takes. `config` (a zod schema) says what users may set, `values` are the
 * defaults, and `components` builds the components from the checked values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Container } from "@opm/sdk/catalog";
 * import { component, defineModule, workloadType, z } from "@opm/sdk/dsl";
 *
 * const blog = defineModule({
 *   metadata: { apiVersion: "example.com/modules@v0", name: "blog", version: "1.0.0" },
 *   config: z.object({ image: z.string() }),
 *   values: { image: "ghost:5" },
 *   components: (config) => ({
 *     web: component(Container({ name: "web", image: config.image }), workloadType("stateless")),
 *   }),
 * });
 * assert.equal(blog.metadata.name, "blog");
 * assert.equal(blog.metadata.fqn, "example.com/modules@v0#Blog");
 * ```
 */
export function defineModule<Config extends z.ZodType>(init: ModuleInit<Config>): TsModule<Config> {
  const { apiVersion, name, version, defaultNamespace, description, naming } = init.metadata;
  const fqn = fqnOf(apiVersion, name);
  const identity = moduleIdentity(fqn, version);
  const drafts = init.policies;
  const policies =
    typeof drafts === "function"
      ? (values: unknown) => toPolicies(drafts(values as z.output<Config>))
      : toPolicies(drafts ?? {});
  return brand("Module", {
    kind: "Module" as const,
    metadata: {
      apiVersion,
      name,
      version,
      fqn,
      identity,
      ...(defaultNamespace === undefined ? {} : { defaultNamespace }),
      ...(description === undefined ? {} : { description }),
      ...(naming === undefined ? {} : { naming }),
      labels: { ...init.metadata.labels, ...moduleLabels(name, version, identity) },
      annotations: { ...init.metadata.annotations },
    },
    components: (values: unknown, bindings?: InterfaceBindings) =>
      namedComponents(init.components(values as z.output<Config>), bindings),
    policies,
    config: zodConfigSchema(init.config),
    values: init.values,
    configSchema: init.config,
  });
}
