// Type-level mirrors of the FQN and spec-key rules (upstream-compatibility.md), so a definition's spec key
// is a literal type and IDE completion knows that `health-check` lives under `spec.healthCheck`.
// The runtime rules are sdk's `kebabToPascal` / `specKeyOf`; these must agree with them.

type CapitalizeParts<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Capitalize<Head>}${CapitalizeParts<Tail>}`
  : Capitalize<S>;

/** `stateless-workload` → `StatelessWorkload`. */
export type KebabToPascal<Name extends string> = CapitalizeParts<Name>;

/** `health-check` → `healthCheck`: the key of the definition's part of `component.spec`. */
export type SpecKeyOf<Name extends string> = Uncapitalize<KebabToPascal<Name>>;
