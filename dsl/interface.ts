// Interfaces in TS (RFC-0004, docs/interfaces.md): `defineInterface` defines a
// contract whose shape is a zod schema of what a provider gives (every field but `host`, which
// OPM sets); the definition is also the builder of a provision, `Postgres({ dbName: ... })`.
// `provides({ db: Postgres({...}) })` is a component part; `requiring({ db: Postgres },
// ({ db }) => component(...))` builds a component from the wired values, typed by the shape, the
// TS counterpart of reading `requires.db.host` in CUE.
import {
  brand,
  OpmError,
  type Component,
  type DefinitionMetadata,
  type InterfaceDef,
  type Provision,
} from "../sdk/index.ts";
import type { z } from "zod";
import { toComponent, type ComponentDraft } from "./component.ts";
import { definitionMetadataOf, type DefinitionMetadataInit } from "./definitions.ts";
import { providesPart, type ComponentPart } from "./parts.ts";
import { zodSpecSchema } from "./schema.ts";

/** An interface definition, typed by what a provider gives (`Given`) and what a consumer reads (`Shape`). */
export type Interface<Name extends string = string, Given = unknown, Shape = unknown> = InterfaceDef & {
  readonly metadata: DefinitionMetadata & { readonly name: Name };
  /** The zod schema of what a provider gives (the shape without `host`), for tools and docs. */
  readonly shape: z.ZodType;
  /** Phantom: carries the shape a consumer reads. */
  readonly "~shape"?: Shape;
  /** Phantom: carries what a provider gives. */
  readonly "~given"?: Given;
};

/** What a consumer of an interface reads: its shape, `host` included. */
export type ShapeOf<I> = I extends { readonly "~shape"?: infer S } ? S : never;
/** What a provider of an interface gives. */
export type GivenOf<I> = I extends { readonly "~given"?: infer G } ? G : never;

/** A provision of an interface: what `Postgres({...})` returns, for `provides`. */
export interface ProvisionOf<I extends InterfaceDef = InterfaceDef> extends Provision {
  /** The interface provided, typed. */
  readonly interface: I;
}

/** What {@link defineInterface} takes. */
export interface InterfaceInit<Name extends string, Schema extends z.ZodType> {
  /** Its API version and kebab-case name; the FQN derives from them. */
  readonly metadata: DefinitionMetadataInit<Name>;
  /** What a provider gives: the shape without `host`, which OPM sets. */
  readonly shape: Schema;
  /** Concrete defaults of the shape's optional fields (`#defaults`), e.g. `{ port: 5432 }`. */
  readonly defaults?: Partial<z.output<Schema>>;
}

/**
 * Defines an interface. The result is the definition (for `requiring`) and, called with the
 * provider's values, a provision (for `provides`).
 *
 * Example: `const Smtp = defineInterface({ metadata: { apiVersion: "example.com/interfaces@v0", name: "smtp" }, shape: z.object({ port: z.int().default(25) }), defaults: { port: 25 } })`.
 */
export function defineInterface<const Name extends string, Schema extends z.ZodType>(
  init: InterfaceInit<Name, Schema>,
): Interface<Name, z.input<Schema>, z.output<Schema> & { readonly host: string }> &
  ((
    given: z.input<Schema>,
  ) => ProvisionOf<Interface<Name, z.input<Schema>, z.output<Schema> & { readonly host: string }>>) {
  const def: InterfaceDef = brand("Interface", {
    kind: "Interface" as const,
    metadata: definitionMetadataOf(init.metadata),
    ...(init.defaults === undefined ? {} : { defaults: init.defaults as Record<string, unknown> }),
    schema: zodSpecSchema(init.shape),
  });
  type I = Interface<Name, z.input<Schema>, z.output<Schema> & { readonly host: string }>;
  const build = (given: z.input<Schema>): ProvisionOf<I> => ({
    interface: builder as unknown as I,
    value: given as Record<string, unknown>,
  });
  // The definition's fields on the builder function, so one name serves both uses.
  const builder = Object.assign(build, def, { shape: init.shape });
  return builder as unknown as I & ((given: z.input<Schema>) => ProvisionOf<I>);
}

/** A part declaring the interfaces a component provides, by local name. */
export function provides(
  provisions: Readonly<Record<string, Provision>>,
): ComponentPart<Record<never, never>> {
  const out: Record<string, Provision> = {};
  for (const [local, p] of Object.entries(provisions))
    out[local] = { interface: definitionOf(p.interface), value: p.value };
  return providesPart(out);
}

/** An interface's plain definition (a builder function carries the same fields). */
function definitionOf(i: InterfaceDef): InterfaceDef {
  const { kind, metadata, defaults, schema } = i;
  return brand("Interface", {
    kind,
    metadata,
    ...(defaults === undefined ? {} : { defaults }),
    ...(schema === undefined ? {} : { schema }),
  });
}

/** Marks a {@link RequiringDraft}. */
const REQUIRING = "~opm/requiring";

/** The values a component built by `requiring` reads, by local name. */
export type Required<R extends Readonly<Record<string, InterfaceDef>>> = {
  readonly [K in keyof R]: ShapeOf<R[K]>;
};

/** A component that requires interfaces, built once their values are known. */
export interface RequiringDraft {
  /** The mark `isRequiringDraft` looks for. */
  readonly [REQUIRING]: true;
  /** The interfaces required, by local name. */
  readonly requires: Readonly<Record<string, InterfaceDef>>;
  /** Builds the component from each requirement's wired values. */
  readonly build: (
    required: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  ) => ComponentDraft<unknown>;
}

/** True for what `requiring(...)` returns. */
export function isRequiringDraft(x: unknown): x is RequiringDraft {
  return typeof x === "object" && x !== null && (x as Record<string, unknown>)[REQUIRING] === true;
}

/**
 * A component that requires interfaces: `build` gets each one's wired values (the provider's
 * values, `host` the provider's Service DNS name) and returns the component.
 *
 * @example
 * ```ts
 * import { Container, Postgres } from "@opm/sdk/catalog";
 * import { component, requiring, workloadType } from "@opm/sdk/dsl";
 *
 * const api = requiring({ db: Postgres }, ({ db }) =>
 *   component(
 *     workloadType("stateless"),
 *     Container({ name: "api", image: "api:1", env: { DB_HOST: { value: db.host }, DB_PORT: { value: String(db.port) } } }),
 *   ),
 * );
 * ```
 */
export function requiring<const R extends Readonly<Record<string, InterfaceDef>>>(
  requires: R,
  build: (required: Required<R>) => ComponentDraft<unknown>,
): RequiringDraft {
  return {
    [REQUIRING]: true,
    requires,
    build: build as unknown as RequiringDraft["build"],
  };
}

/**
 * Stand-ins read while OPM finds out what the components provide and require (the first call of
 * the components function): `<requires.db.host>` for any field without a default.
 */
function placeholders(
  requires: Readonly<Record<string, InterfaceDef>>,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [local, def] of Object.entries(requires)) {
    const known: Record<string, unknown> = { ...def.defaults };
    out[local] = new Proxy(known, {
      get: (target, field) =>
        typeof field !== "string" || field in target
          ? (target as Record<string | symbol, unknown>)[field]
          : `<requires.${local}.${field}>`,
    });
  }
  return out;
}

/** The component of a `requiring` draft, built from the wired values (or stand-ins). */
export function toRequiringComponent(
  draft: RequiringDraft,
  name: string,
  bound: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined,
): Component {
  for (const local of Object.keys(draft.requires)) {
    if (bound !== undefined && bound[local] === undefined)
      throw new OpmError("InterfaceUnfulfilled", {
        message: `component ${name}: requirement ${local} was not wired`,
      });
  }
  const component = toComponent(draft.build(bound ?? placeholders(draft.requires)), name);
  const requires = Object.fromEntries(
    Object.entries(draft.requires).map(([local, def]) => [local, definitionOf(def)]),
  );
  return brand("Component", { ...component, requires: { ...component.requires, ...requires } });
}
