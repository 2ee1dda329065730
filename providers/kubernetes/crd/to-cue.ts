// A CRD version's schema as a CUE definition (like `timoni mod vendor crd`): `#<Kind>` with
// apiVersion and kind fixed, required fields marked `!`, enums as disjunctions, defaults as
// CUE defaults, int-or-string as `int | string`, maps from additionalProperties, open structs
// where unknown fields are preserved, embedded resources as open objects with apiVersion/kind,
// oneOf/anyOf of typed branches as disjunctions. Deterministic: properties sorted.
import { type Crd, type CrdVersion, isIdentifier, type JsonSchema } from "./schema.ts";

const METADATA = `{
	name?:      string
	namespace?: string
	labels?: [string]:      string
	annotations?: [string]: string
	...
}`;

function label(name: string): string {
  return isIdentifier(name) ? name : JSON.stringify(name);
}

function comment(text: string | undefined, indent: string): string {
  if (text === undefined || text.trim() === "") return "";
  return `${text
    .trim()
    .split("\n")
    .map((line) => `${indent}// ${line}`.trimEnd())
    .join("\n")}\n`;
}

function literal(value: unknown): string {
  return JSON.stringify(value);
}

function scalar(schema: JsonSchema): string {
  switch (schema.type) {
    case "string": {
      const parts = ["string"];
      if (schema.pattern !== undefined) parts.push(`=~${JSON.stringify(schema.pattern)}`);
      return parts.join(" & ");
    }
    case "integer":
    case "number": {
      const parts = [schema.type === "integer" ? "int" : "number"];
      if (schema.minimum !== undefined) parts.push(`>=${schema.minimum}`);
      if (schema.maximum !== undefined) parts.push(`<=${schema.maximum}`);
      return parts.join(" & ");
    }
    case "boolean":
      return "bool";
    default:
      return "_";
  }
}

/** The CUE expression of a schema; `indent` is the current line's indentation. */
export function cueOf(schema: JsonSchema | undefined, indent: string): string {
  if (schema === undefined) return "_";
  let expr = baseOf(schema, indent);
  if (schema.enum !== undefined && schema.enum.length > 0) expr = schema.enum.map(literal).join(" | ");
  if (schema.default !== undefined && (typeof schema.default !== "object" || schema.default === null)) {
    expr = `*${literal(schema.default)} | ${expr}`;
  }
  if (schema.nullable === true) expr = `${expr} | null`;
  return expr;
}

function branches(list: readonly JsonSchema[] | undefined): readonly JsonSchema[] {
  // Branches that only list required fields constrain values, not the shape: structurally the
  // properties already describe the object.
  return (list ?? []).filter((b) => b.type !== undefined || b.properties !== undefined);
}

function baseOf(schema: JsonSchema, indent: string): string {
  if (schema["x-kubernetes-int-or-string"] === true) return "int | string";
  const alternatives = [...branches(schema.oneOf), ...branches(schema.anyOf)];
  if (alternatives.length > 0 && schema.properties === undefined) {
    return alternatives
      .map((b) =>
        cueOf(
          { ...b, ...(b.type === undefined && schema.type !== undefined ? { type: schema.type } : {}) },
          indent,
        ),
      )
      .join(" | ");
  }
  if (schema.type === "array") return `[...${cueOf(schema.items, indent)}]`;
  const isObject = schema.type === "object" || schema.properties !== undefined;
  if (!isObject) {
    return schema["x-kubernetes-preserve-unknown-fields"] === true && schema.type === undefined
      ? "_"
      : scalar(schema);
  }
  return structOf(schema, indent);
}

function structOf(schema: JsonSchema, indent: string): string {
  const inner = `${indent}\t`;
  const required = new Set(schema.required ?? []);
  const lines: string[] = [];
  const embedded = schema["x-kubernetes-embedded-resource"] === true;
  const properties = { ...(schema.properties ?? {}) };
  if (embedded) {
    lines.push(`${inner}apiVersion${required.has("apiVersion") ? "!" : "?"}: string\n`);
    lines.push(`${inner}kind${required.has("kind") ? "!" : "?"}: string\n`);
    if (properties["metadata"] === undefined)
      lines.push(`${inner}metadata?: ${METADATA.replaceAll("\n", `\n${inner}`)}\n`);
    delete properties["apiVersion"];
    delete properties["kind"];
  }
  for (const name of Object.keys(properties).sort()) {
    const child = properties[name]!;
    lines.push(
      `${comment(child.description, inner)}${inner}${label(name)}${required.has(name) ? "!" : "?"}: ${cueOf(child, inner)}\n`,
    );
  }
  const extra = schema.additionalProperties;
  if (typeof extra === "object") lines.push(`${inner}[string]: ${cueOf(extra, inner)}\n`);
  if (extra === true || embedded || schema["x-kubernetes-preserve-unknown-fields"] === true)
    lines.push(`${inner}...\n`);
  if (lines.length === 0) return "{}";
  return `{\n${lines.join("")}${indent}}`;
}

/** The CUE file of one version: `package <version>` and `#<Kind>`. */
export function crdVersionToCue(crd: Crd, version: CrdVersion, source: string): string {
  const root = version.schema ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true };
  const properties = { ...(root.properties ?? {}) };
  delete properties["apiVersion"];
  delete properties["kind"];
  delete properties["metadata"];
  const body = structOf(
    {
      ...root,
      properties,
      required: (root.required ?? []).filter((r) => !["apiVersion", "kind", "metadata"].includes(r)),
    },
    "",
  );
  const fields = body === "{}" ? "" : body.slice(2, -2);
  const open = version.schema === undefined ? "\t...\n" : "";
  return [
    `// Code generated by opm mod vendor crd from ${source}; DO NOT EDIT.`,
    "",
    `package ${version.name}`,
    "",
    comment(root.description, "").trimEnd(),
    `// ${crd.kind} (${crd.group}/${version.name}, ${crd.scope === "Cluster" ? "cluster-scoped" : "namespaced"}).`,
    `#${crd.kind}: {`,
    `\tapiVersion: "${crd.group}/${version.name}"`,
    `\tkind:       "${crd.kind}"`,
    `\tmetadata!: ${METADATA.replaceAll("\n", "\n\t")}`,
    ...(fields === "" ? [] : [fields]),
    ...(open === "" ? [] : [open.trimEnd()]),
    "}",
    "",
  ]
    .filter((line, i, all) => !(line === "" && all[i - 1] === ""))
    .join("\n");
}
