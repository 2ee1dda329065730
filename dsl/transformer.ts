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

export interface TransformerInit {
  readonly metadata: {
    readonly apiVersion: string;
    /** Kebab-case, e.g. `bucket-transformer`. */
    readonly name: string;
    readonly description: string;
    readonly labels?: Labels;
    readonly annotations?: Labels;
  };
  readonly requiredLabels?: Readonly<Record<string, string>>;
  readonly optionalLabels?: Readonly<Record<string, string>>;
  readonly requiredResources?: readonly DefinitionRef[];
  readonly optionalResources?: readonly DefinitionRef[];
  readonly requiredTraits?: readonly DefinitionRef[];
  readonly optionalTraits?: readonly DefinitionRef[];
  readonly matches?: (component: Component) => boolean | MatchVerdict | Promise<boolean | MatchVerdict>;
  readonly transform: (
    component: Component,
    context: TransformerContext,
  ) => TransformOutput | Promise<TransformOutput>;
}

function fqns(refs: readonly DefinitionRef[] | undefined): string[] {
  return (refs ?? []).map((ref) => (typeof ref === "string" ? ref : ref.metadata.fqn));
}

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

export interface ProviderInit {
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

export function defineProvider(init: ProviderInit): Provider {
  const { name, description, version, minVersion, labels } = init.metadata;
  return brand("Provider", {
    kind: "Provider" as const,
    metadata: { name, description, version, minVersion: minVersion ?? version, labels: labels ?? {} },
    transformers: Object.fromEntries(init.transformers.map((t) => [t.metadata.fqn, t])),
  });
}
