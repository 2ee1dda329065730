// JSON Schema (as CUE's generator writes it) to TypeScript type text and zod expression text.
// Only what the catalog's schemas use is supported; anything else fails loudly, so a new CUE
// construct is noticed rather than silently typed `unknown`.
//
// Conventions of this conversion:
// - A map whose entries have a `name` property is keyed by that name (ports, env, volumes...):
//   `name` is optional in the TS type and in zod, since the key supplies it.
// - `$ref` with sibling keywords (CUE writes these for `#Def & {name: *key | string}`) means
//   the referenced schema; the siblings only restate the entry's name.
// - `{type: number} ∧ {type: integer, ...}` (CUE's `int & >=0`) is one integer schema.
// - CUE's JSON Schema has no defaults; defaults come from `#defaults` and the transformers.
import type { JsonSchema } from "./description.ts";

type Schema = { readonly [keyword: string]: unknown };

const HANDLED = new Set([
  "$schema",
  "$defs",
  "$ref",
  "description",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "prefixItems",
  "minItems",
  "maxItems",
  "enum",
  "const",
  "anyOf",
  "oneOf",
  "allOf",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "title",
]);

export interface Converted {
  readonly ts: string;
  readonly zod: string;
}

export interface ConvertContext {
  /** Name of the TS type and zod constant a `$defs` entry is emitted as. */
  refName(ref: string): { readonly type: string; readonly zod: string };
}

function asSchema(schema: unknown, where: string): Schema | boolean {
  if (typeof schema === "boolean") return schema;
  if (typeof schema === "object" && schema !== null && !Array.isArray(schema)) return schema as Schema;
  throw new Error(`${where}: not a JSON Schema`);
}

function literal(value: unknown): Converted {
  const text = JSON.stringify(value);
  return { ts: text, zod: `z.literal(${text})` };
}

function union(members: readonly Converted[]): Converted {
  if (members.length === 1) return members[0]!;
  return {
    ts: members.map((m) => m.ts).join(" | "),
    zod: `z.union([${members.map((m) => m.zod).join(", ")}])`,
  };
}

/** Merges `allOf` members that are plain keyword sets into one schema. */
function mergeAllOf(members: readonly Schema[]): Schema | undefined {
  if (members.some((m) => "$ref" in m || "properties" in m || "anyOf" in m)) return undefined;
  const merged: Record<string, unknown> = {};
  for (const member of members) {
    for (const [key, value] of Object.entries(member)) {
      if (key === "type" && merged["type"] !== undefined && merged["type"] !== value) {
        const types = new Set([merged["type"], value]);
        if (types.size === 2 && types.has("number") && types.has("integer")) merged["type"] = "integer";
        else return undefined;
      } else merged[key] = value;
    }
  }
  return merged;
}

function numberBounds(schema: Schema): string {
  let zod = "";
  if (typeof schema["minimum"] === "number") zod += `.min(${schema["minimum"]})`;
  if (typeof schema["maximum"] === "number") zod += `.max(${schema["maximum"]})`;
  if (typeof schema["exclusiveMinimum"] === "number") zod += `.gt(${schema["exclusiveMinimum"]})`;
  if (typeof schema["exclusiveMaximum"] === "number") zod += `.lt(${schema["exclusiveMaximum"]})`;
  return zod;
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

function docComment(schema: Schema | boolean): string {
  if (typeof schema === "boolean" || typeof schema["description"] !== "string") return "";
  const lines = (schema["description"] as string).replaceAll("*/", "*\\/").split("\n");
  return `/** ${lines.join("\n * ")} */\n`;
}

export class SchemaConverter {
  private readonly context: ConvertContext;

  constructor(context: ConvertContext) {
    this.context = context;
  }

  convert(input: JsonSchema | unknown, where: string, keyNamed = false): Converted {
    const schema = asSchema(input, where);
    if (schema === true) return { ts: "unknown", zod: "z.unknown()" };
    if (schema === false) return { ts: "never", zod: "z.never()" };
    for (const keyword of Object.keys(schema)) {
      if (!HANDLED.has(keyword)) throw new Error(`${where}: unsupported JSON Schema keyword ${keyword}`);
    }
    if (typeof schema["$ref"] === "string") {
      const ref = this.context.refName(schema["$ref"]);
      const extension = this.extensionOf(schema, where);
      const ts = extension === undefined ? ref.type : `${ref.type} & ${extension.ts}`;
      const zod = extension === undefined ? ref.zod : `${ref.zod}.extend(${extension.zod})`;
      return keyNamed ? { ts: `KeyNamed<${ts}>`, zod: `keyNamed(${zod})` } : { ts, zod };
    }
    if ("const" in schema) {
      // CUE writes an open struct (`{...}`) as `const: {}`: any object.
      const value = schema["const"];
      if (
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length === 0
      ) {
        return { ts: "Readonly<Record<string, unknown>>", zod: "z.record(z.string(), z.unknown())" };
      }
      return literal(value);
    }
    if (Array.isArray(schema["enum"])) {
      const values = schema["enum"] as unknown[];
      if (values.every((v) => typeof v === "string")) {
        return {
          ts: values.map((v) => JSON.stringify(v)).join(" | "),
          zod: `z.enum([${values.map((v) => JSON.stringify(v)).join(", ")}])`,
        };
      }
      return union(values.map(literal));
    }
    const alternatives = (schema["anyOf"] ?? schema["oneOf"]) as unknown[] | undefined;
    if (Array.isArray(alternatives)) {
      return union(alternatives.map((a, i) => this.convert(a, `${where}.anyOf[${i}]`, keyNamed)));
    }
    if (Array.isArray(schema["allOf"])) {
      const members = (schema["allOf"] as unknown[]).map((m, i) => asSchema(m, `${where}.allOf[${i}]`));
      const merged = members.every((m) => typeof m === "object")
        ? mergeAllOf(members as Schema[])
        : undefined;
      if (merged !== undefined) {
        const { allOf: _allOf, ...rest } = schema;
        return this.convert({ ...rest, ...merged }, where, keyNamed);
      }
      const parts = members.map((m, i) => this.convert(m, `${where}.allOf[${i}]`, keyNamed));
      return {
        ts: parts.map((p) => `(${p.ts})`).join(" & "),
        zod: parts.map((p) => p.zod).reduce((a, b) => `z.intersection(${a}, ${b})`),
      };
    }
    const type = schema["type"];
    if (Array.isArray(type)) {
      return union(type.map((t) => this.convert({ ...schema, type: t }, where, keyNamed)));
    }
    switch (type) {
      case "string": {
        let zod = "z.string()";
        if (typeof schema["pattern"] === "string")
          zod += `.regex(new RegExp(${JSON.stringify(schema["pattern"])}))`;
        if (typeof schema["minLength"] === "number") zod += `.min(${schema["minLength"]})`;
        if (typeof schema["maxLength"] === "number") zod += `.max(${schema["maxLength"]})`;
        return { ts: "string", zod };
      }
      case "integer":
        return { ts: "number", zod: `z.int()${numberBounds(schema)}` };
      case "number":
        return { ts: "number", zod: `z.number()${numberBounds(schema)}` };
      case "boolean":
        return { ts: "boolean", zod: "z.boolean()" };
      case "null":
        return { ts: "null", zod: "z.null()" };
      case "array":
        return this.array(schema, where);
      case "object":
      case undefined:
        return this.object(schema, where, keyNamed);
      default:
        throw new Error(`${where}: unsupported type ${String(type)}`);
    }
  }

  /**
   * The fields a `$ref` schema adds beside the referenced one (CUE's embedding of a definition
   * plus fields of its own); a restated `name` alone adds nothing.
   */
  private extensionOf(schema: Schema, where: string): Converted | undefined {
    const properties = (schema["properties"] ?? {}) as Record<string, unknown>;
    const names = Object.keys(properties).filter((n) => n !== "name");
    if (names.length === 0) return undefined;
    const fields = this.fields(
      Object.fromEntries(names.map((n) => [n, properties[n]])),
      new Set((schema["required"] ?? []) as string[]),
      where,
    );
    return { ts: fields.ts, zod: fields.shape };
  }

  private fields(
    properties: Record<string, unknown>,
    required: ReadonlySet<string>,
    where: string,
  ): { ts: string; shape: string } {
    const tsFields: string[] = [];
    const zodFields: string[] = [];
    for (const name of Object.keys(properties).sort()) {
      const propSchema = asSchema(properties[name], `${where}.${name}`);
      const optional = !required.has(name);
      // CUE's JSON Schema writes an excluded field (`x?: _|_`, how one alternative of a
      // disjunction rules out the others' fields) as `true`; the catalog declares no optional `_`.
      const prop =
        optional && propSchema === true
          ? { ts: "never", zod: "z.never()" }
          : this.convert(propSchema, `${where}.${name}`);
      tsFields.push(
        `${docComment(propSchema)}readonly ${propertyKey(name)}${optional ? "?" : ""}: ${prop.ts};`,
      );
      zodFields.push(`${propertyKey(name)}: ${prop.zod}${optional ? ".optional()" : ""}`);
    }
    return { ts: `{\n${tsFields.join("\n")}\n}`, shape: `{ ${zodFields.join(", ")} }` };
  }

  private array(schema: Schema, where: string): Converted {
    const items = this.convert(schema["items"] ?? true, `${where}.items`);
    let zod = `z.array(${items.zod})`;
    if (typeof schema["minItems"] === "number") zod += `.min(${schema["minItems"]})`;
    if (typeof schema["maxItems"] === "number") zod += `.max(${schema["maxItems"]})`;
    return { ts: `readonly ${/^[\w.<>]+$/.test(items.ts) ? items.ts : `(${items.ts})`}[]`, zod };
  }

  private object(schema: Schema, where: string, keyNamed: boolean): Converted {
    const properties = (schema["properties"] ?? {}) as Record<string, unknown>;
    const required = new Set((schema["required"] ?? []) as string[]);
    if (keyNamed) required.delete("name");
    const extra = schema["additionalProperties"];
    const names = Object.keys(properties).sort();
    if (names.length === 0 && extra !== undefined && extra !== false) {
      const entrySchema = asSchema(extra, `${where}.additionalProperties`);
      const entry = this.convert(entrySchema, `${where}.additionalProperties`, hasNameProperty(entrySchema));
      return { ts: `Readonly<Record<string, ${entry.ts}>>`, zod: `z.record(z.string(), ${entry.zod})` };
    }
    const { ts, shape } = this.fields(properties, required, where);
    if (extra === false) return { ts, zod: `z.strictObject(${shape})` };
    if (extra === undefined || extra === true) {
      return names.length === 0
        ? { ts: "Readonly<Record<string, unknown>>", zod: "z.record(z.string(), z.unknown())" }
        : // An open struct (`...` in CUE) takes fields beyond the named ones in TS too.
          { ts: `${ts.slice(0, -1)}readonly [field: string]: unknown;\n}`, zod: `z.looseObject(${shape})` };
    }
    const entry = this.convert(extra, `${where}.additionalProperties`);
    return {
      ts: `${ts} & Readonly<Record<string, ${entry.ts}>>`,
      zod: `z.object(${shape}).catchall(${entry.zod})`,
    };
  }
}

function hasNameProperty(schema: Schema | boolean): boolean {
  if (typeof schema === "boolean") return false;
  if (typeof schema["$ref"] === "string") return true;
  const properties = schema["properties"];
  return typeof properties === "object" && properties !== null && "name" in properties;
}

/** The `$ref`s a schema uses, for ordering `$defs` so each is declared before use. */
export function refsOf(schema: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) refsOf(item, out);
  else if (typeof schema === "object" && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === "$ref" && typeof value === "string") out.add(value);
      else if (key !== "$defs") refsOf(value, out);
    }
  }
  return out;
}
