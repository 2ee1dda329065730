// Custom transformers and providers in TS. A transformer lists what it requires (labels,
// resources, traits; definitions or FQN strings) and maps a matched component to platform
// objects; `matches` may replace the all-of rule. A provider is a named set of transformers.
import {
  brand,
  fqnOf,
  type Component,
  type Labels,
  type MatchVerdict,
  type Provider,
  type TransformOutput,
  type Transformer,
  type TransformerContext,
} from "../sdk/index.ts";

type DefinitionRef = string | { readonly metadata: { readonly fqn: string } };

/**
 * What `defineTransformer` takes. Definitions may be given as definitions (the catalog's
 * `Container` resource) or as FQN strings.
 */
export interface TransformerInit {
  /** Where the transformer lives and what it renders; its FQN is `<apiVersion>#<PascalName>`. */
  readonly metadata: {
    readonly apiVersion: string;
    /** Kebab-case, e.g. `bucket-transformer`. */
    readonly name: string;
    readonly description: string;
    readonly labels?: Labels;
    readonly annotations?: Labels;
  };
  /** Labels a component must carry with exactly these values to match. @default none */
  readonly requiredLabels?: Readonly<Record<string, string>>;
  /** Labels the transformer reads when present; they never decide a match. @default none */
  readonly optionalLabels?: Readonly<Record<string, string>>;
  /** Resources a component must have to match. @default none */
  readonly requiredResources?: readonly DefinitionRef[];
  /** Resources the transformer reads when present; they never decide a match. @default none */
  readonly optionalResources?: readonly DefinitionRef[];
  /** Traits a component must have to match. @default none */
  readonly requiredTraits?: readonly DefinitionRef[];
  /** Traits the transformer reads when present, so they count as handled. @default none */
  readonly optionalTraits?: readonly DefinitionRef[];
  /**
   * Decides the match itself, replacing the all-of rule on the required lists (which still decide
   * which traits count as handled). Return a `MatchVerdict` to explain the decision in `--verbose`.
   */
  readonly matches?: (component: Component) => boolean | MatchVerdict | Promise<boolean | MatchVerdict>;
  /**
   * Emits the objects for one matched component: one object, a list, or a map of objects
   * (docs/architecture.md, decision 9).
   */
  readonly transform: (
    component: Component,
    context: TransformerContext,
  ) => TransformOutput | Promise<TransformOutput>;
}

function fqns(refs: readonly DefinitionRef[] | undefined): string[] {
  return (refs ?? []).map((ref) => (typeof ref === "string" ? ref : ref.metadata.fqn));
}

/**
 * Defines a transformer in TS: what it requires of a component and how it turns one into objects.
 * Put it in a provider with `defineProvider` to render with it.
 *
 * Example: `defineTransformer({ metadata: { apiVersion: "example.com/transformers@v0", name:
 * "bucket-transformer", description: "Bucket to a ConfigMap" }, requiredResources: [Bucket],
 * transform: (c, ctx) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name:
 * ctx.objectName(c.metadata.name), labels: ctx.labels }, data: {} }) })`.
 */
export function defineTransformer(init: TransformerInit): Transformer {
  const { apiVersion, name, description, labels, annotations } = init.metadata;
  return brand("Transformer", {
    kind: "Transformer" as const,
    metadata: {
      apiVersion,
      name,
      fqn: fqnOf(apiVersion, name),
      description,
      ...(labels === undefined ? {} : { labels }),
      ...(annotations === undefined ? {} : { annotations }),
    },
    requiredLabels: init.requiredLabels ?? {},
    optionalLabels: init.optionalLabels ?? {},
    requiredResources: fqns(init.requiredResources),
    optionalResources: fqns(init.optionalResources),
    requiredTraits: fqns(init.requiredTraits),
    optionalTraits: fqns(init.optionalTraits),
    ...(init.matches === undefined ? {} : { matches: init.matches }),
    transform: init.transform,
  });
}

/** What `defineProvider` takes: the provider's metadata and its transformers. */
export interface ProviderInit {
  /** Upstream's provider metadata; see `ProviderMetadata`. */
  readonly metadata: {
    readonly name: string;
    readonly description: string;
    readonly version: string;
    /** @default the version */
    readonly minVersion?: string;
    readonly labels?: Labels;
  };
  /** Keyed by their FQN in the provider. */
  readonly transformers: readonly Transformer[];
}

/**
 * Defines a provider: a named set of transformers that `render` renders modules with. To extend the
 * Kubernetes provider, spread its transformers into a new one.
 */
export function defineProvider(init: ProviderInit): Provider {
  const { name, description, version, minVersion, labels } = init.metadata;
  return brand("Provider", {
    kind: "Provider" as const,
    metadata: { name, description, version, minVersion: minVersion ?? version, labels: labels ?? {} },
    transformers: Object.fromEntries(init.transformers.map((t) => [t.metadata.fqn, t])),
  });
}
