// CustomResourceDefinitions as the converters read them: the kind, group, scope and every served
// version with its structural OpenAPI v3 schema (absent for schemaless legacy CRDs).

/** The subset of OpenAPI v3 (Kubernetes' structural schemas) the converters understand. */
export interface JsonSchema {
  /** `object`, `array`, `string`, `integer`, `number` or `boolean`. */
  readonly type?: string;
  /** What the field is for; converters carry it as a doc comment. */
  readonly description?: string;
  /** The fields of an object, by name. */
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  /** The fields of an object that must be set. */
  readonly required?: readonly string[];
  /** The schema of an array's elements. */
  readonly items?: JsonSchema;
  /** The schema of a map's values (`true`: any value). */
  readonly additionalProperties?: JsonSchema | boolean;
  /** The only values allowed. */
  readonly enum?: readonly unknown[];
  /** The value the API server fills in when the field is absent. */
  readonly default?: unknown;
  /** `null` is allowed too. */
  readonly nullable?: boolean;
  /** A regular expression strings must match. */
  readonly pattern?: string;
  /** The smallest number allowed. */
  readonly minimum?: number;
  /** The largest number allowed. */
  readonly maximum?: number;
  /** Exactly one of these must hold. */
  readonly oneOf?: readonly JsonSchema[];
  /** At least one of these must hold. */
  readonly anyOf?: readonly JsonSchema[];
  /** All of these must hold. */
  readonly allOf?: readonly JsonSchema[];
  /** Fields the schema does not name are kept rather than pruned: the object is open. */
  readonly "x-kubernetes-preserve-unknown-fields"?: boolean;
  /** An integer or a string (e.g. a port or `50%`). */
  readonly "x-kubernetes-int-or-string"?: boolean;
  /** A whole Kubernetes object (apiVersion, kind, metadata) is embedded here. */
  readonly "x-kubernetes-embedded-resource"?: boolean;
}

/** One served version of a CRD, with its schema. */
export interface CrdVersion {
  /** The version, e.g. `v1alpha1`. */
  readonly name: string;
  /** Absent for a CRD without a schema: the object is open. */
  readonly schema?: JsonSchema;
}

/** A CustomResourceDefinition reduced to what the converters need (`opm vendor crd`). */
export interface Crd {
  /** `widgets.example.com` */
  readonly name: string;
  /** The API group, e.g. `example.com`. */
  readonly group: string;
  /** The kind of the custom resources, e.g. `Widget`. */
  readonly kind: string;
  /** The plural resource name, e.g. `widgets`. */
  readonly plural: string;
  /** Whether the custom resources live in a namespace or at cluster scope. */
  readonly scope: "Namespaced" | "Cluster";
  /** Served versions only, in the CRD's order. */
  readonly versions: readonly CrdVersion[];
}

/** Why a document is not a usable CRD; the caller adds file and position. */
export class CrdShapeError extends Error {}

/** Reads an apiextensions.k8s.io/v1 (or v1beta1) CustomResourceDefinition object. */
export function readCrd(doc: unknown): Crd {
  const o = (doc ?? {}) as Record<string, unknown>;
  if (o["kind"] !== "CustomResourceDefinition") {
    throw new CrdShapeError(`not a CustomResourceDefinition (kind ${JSON.stringify(o["kind"] ?? null)})`);
  }
  const metadata = (o["metadata"] ?? {}) as { name?: string };
  const spec = (o["spec"] ?? undefined) as
    | {
        group?: string;
        names?: { kind?: string; plural?: string };
        scope?: string;
        version?: string;
        validation?: { openAPIV3Schema?: JsonSchema };
        versions?: { name?: string; served?: boolean; schema?: { openAPIV3Schema?: JsonSchema } }[];
      }
    | undefined;
  if (spec === undefined) throw new CrdShapeError(`${metadata.name ?? "a CRD"} has no spec`);
  const { group, names } = spec;
  if (group === undefined || names?.kind === undefined || names.plural === undefined) {
    throw new CrdShapeError(
      `${metadata.name ?? "a CRD"} lacks spec.group, spec.names.kind or spec.names.plural`,
    );
  }
  const legacy = spec.validation?.openAPIV3Schema;
  const declared =
    spec.versions ?? (spec.version === undefined ? [] : [{ name: spec.version, served: true }]);
  const versions = declared
    .filter((v) => v.served !== false && v.name !== undefined)
    .map((v): CrdVersion => {
      const schema = v.schema?.openAPIV3Schema ?? legacy;
      return schema === undefined ? { name: v.name! } : { name: v.name!, schema };
    });
  if (versions.length === 0) throw new CrdShapeError(`${metadata.name ?? names.plural} serves no version`);
  return {
    name: metadata.name ?? `${names.plural}.${group}`,
    group,
    kind: names.kind,
    plural: names.plural,
    scope: spec.scope === "Cluster" ? "Cluster" : "Namespaced",
    versions,
  };
}

/** Whether a property name can stand unquoted (CUE identifiers and TS identifiers agree here). */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !name.startsWith("$") && !name.startsWith("_");
}
