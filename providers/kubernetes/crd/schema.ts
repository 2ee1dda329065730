// CustomResourceDefinitions as the converters read them: the kind, group, scope and every served
// version with its structural OpenAPI v3 schema (absent for schemaless legacy CRDs).

/** The subset of OpenAPI v3 (Kubernetes' structural schemas) the converters understand. */
export interface JsonSchema {
  readonly type?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly additionalProperties?: JsonSchema | boolean;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly nullable?: boolean;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly "x-kubernetes-preserve-unknown-fields"?: boolean;
  readonly "x-kubernetes-int-or-string"?: boolean;
  readonly "x-kubernetes-embedded-resource"?: boolean;
}

export interface CrdVersion {
  readonly name: string;
  /** Absent for a CRD without a schema: the object is open. */
  readonly schema?: JsonSchema;
}

export interface Crd {
  /** `widgets.example.com` */
  readonly name: string;
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
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
