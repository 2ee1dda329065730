// The catalog reference (docs/catalog.md), written from the same description the TS bindings
// are generated from, so the reference, the hover docs and the CUE's doc comments cannot
// disagree: every resource, trait, blueprint and policy rule with its metadata, how to use it
// from CUE and from TS, and a table of its spec's fields (type, required, default, doc comment).
import type { CatalogDescription, DefinitionDescription, PackageDescription } from "./description.ts";

type Schema = { readonly [keyword: string]: unknown };

/** One row of a definition's field table. */
export interface FieldRow {
  /** Path below the spec key: `ports.<name>.targetPort`, `rules[].matches[].path`. */
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  /** JSON text of the default from `#defaults` (or a blueprint's expansion defaults). */
  readonly defaultValue?: string;
  readonly description?: string;
}

const KIND_TITLE: Record<DefinitionDescription["kind"], string> = {
  Resource: "Resources",
  Trait: "Traits",
  Blueprint: "Blueprints",
  PolicyRule: "Policy rules",
};

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function description(schema: unknown): string | undefined {
  return isSchema(schema) && typeof schema["description"] === "string" ? schema["description"] : undefined;
}

/** The name of a local `$ref` (`#/$defs/Name`), documented once under "Shared schemas". */
function refName(schema: unknown): string | undefined {
  const ref = isSchema(schema) ? schema["$ref"] : undefined;
  return typeof ref === "string" && ref.startsWith("#/$defs/") ? ref.slice("#/$defs/".length) : undefined;
}

function schemaAnchor(name: string): string {
  return `schema-${name.toLowerCase()}`;
}

/** A field's type in a few words; a shared schema is a link to its own table. */
export function typeOf(input: unknown): string {
  if (!isSchema(input)) return input === false ? "nothing" : "any";
  const schema = input;
  const ref = refName(schema);
  if (ref !== undefined) return `[${ref}](#${schemaAnchor(ref)})`;
  if ("const" in schema) return isSchema(schema["const"]) ? "object" : JSON.stringify(schema["const"]);
  if (Array.isArray(schema["enum"])) return schema["enum"].map((v) => JSON.stringify(v)).join(" | ");
  const alternatives = (schema["anyOf"] ?? schema["oneOf"]) as unknown[] | undefined;
  if (Array.isArray(alternatives)) return alternatives.map(typeOf).join(" | ");
  if (Array.isArray(schema["allOf"])) {
    const members = (schema["allOf"] as unknown[]).filter(isSchema);
    // CUE's `int & >=0` is `{type: number} ∧ {type: integer, minimum: 0}`: one integer.
    if (members.every((m) => refName(m) === undefined && !("properties" in m)))
      return typeOf(Object.assign({}, ...members) as Schema);
    return members.map(typeOf).join(" and ");
  }
  const type = schema["type"];
  if (type === "array") return `list of ${typeOf(schema["items"])}`;
  if (
    type === "object" ||
    (type === undefined && ("properties" in schema || "additionalProperties" in schema))
  ) {
    if (!isSchema(schema["properties"]) && isSchema(schema["additionalProperties"]))
      return `map of ${typeOf(schema["additionalProperties"])}`;
    return "object";
  }
  if (typeof type !== "string") return "any";
  const bounds: string[] = [];
  if (typeof schema["minimum"] === "number") bounds.push(`≥ ${schema["minimum"]}`);
  if (typeof schema["exclusiveMinimum"] === "number") bounds.push(`> ${schema["exclusiveMinimum"]}`);
  if (typeof schema["maximum"] === "number") bounds.push(`≤ ${schema["maximum"]}`);
  if (typeof schema["exclusiveMaximum"] === "number") bounds.push(`< ${schema["exclusiveMaximum"]}`);
  let text = bounds.length === 0 ? type : `${type} ${bounds.join(", ")}`;
  if (typeof schema["pattern"] === "string") text += ` matching \`${schema["pattern"]}\``;
  return text;
}

/**
 * Adds a row per field below `prefix`, depth first. Inline objects, lists and maps are expanded;
 * a shared schema (`$ref`) is not, its fields are in its own table.
 */
function walk(rows: FieldRow[], schema: unknown, prefix: string, defaults: unknown): void {
  if (!isSchema(schema) || refName(schema) !== undefined) return;
  for (const key of ["allOf", "anyOf", "oneOf"]) {
    if (Array.isArray(schema[key]))
      for (const member of schema[key] as unknown[]) walk(rows, member, prefix, defaults);
  }
  if (schema["type"] === "array") {
    walk(rows, schema["items"], `${prefix}[]`, undefined);
    return;
  }
  if (!isSchema(schema["properties"])) {
    if (isSchema(schema["additionalProperties"]))
      walk(rows, schema["additionalProperties"], `${prefix}.<name>`, undefined);
    return;
  }
  const required = new Set(Array.isArray(schema["required"]) ? (schema["required"] as string[]) : []);
  for (const [name, property] of Object.entries(schema["properties"])) {
    const path = prefix === "" ? name : `${prefix}.${name}`;
    if (rows.some((row) => row.path === path)) continue; // the same field in two alternatives
    const fieldDefault = isSchema(defaults) ? defaults[name] : undefined;
    const expanded =
      isSchema(property) && refName(property) === undefined && isSchema(property["properties"]);
    const doc = description(property);
    rows.push({
      path,
      type: typeOf(property),
      required: required.has(name),
      // An object default shows on the fields it is expanded into.
      ...(fieldDefault === undefined || (expanded && isSchema(fieldDefault))
        ? {}
        : { defaultValue: JSON.stringify(fieldDefault) }),
      ...(doc === undefined ? {} : { description: doc }),
    });
    walk(rows, property, path, fieldDefault);
  }
}

/** The field table of a schema, expanding the shared schema it is (a spec usually is one). */
function schemaRows(schema: unknown, defs: Readonly<Record<string, unknown>>, defaults: unknown): FieldRow[] {
  const ref = refName(schema);
  const rows: FieldRow[] = [];
  walk(rows, ref === undefined ? schema : defs[ref], "", defaults);
  return rows;
}

function defsOf(def: DefinitionDescription): Readonly<Record<string, unknown>> {
  return isSchema(def.specSchema) && isSchema(def.specSchema["$defs"])
    ? (def.specSchema["$defs"] as Record<string, unknown>)
    : {};
}

/** The field table of a definition's spec (below its spec key). */
export function fieldRows(def: DefinitionDescription): FieldRow[] {
  return schemaRows(def.specSchema, defsOf(def), def.defaults ?? def.expansionDefaults);
}

/** Escapes text for one markdown table cell (doc comments span lines). */
function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll(/\s*\n\s*/g, " ");
}

/** `opmodel.dev/traits/workload@v0` → `workload_traits`, the alias the examples import it under. */
function cueAlias(importPath: string): string {
  const [, module, pkg] = /^opmodel\.dev\/([^/]+)\/([^@]+)@/.exec(importPath) ?? [];
  return module === undefined ? "catalog" : `${pkg!.replaceAll("/", "_")}_${module}`;
}

function anchor(fqn: string): string {
  return fqn.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

function definitionSection(pkg: PackageDescription, def: DefinitionDescription): string {
  const builder = def.mixin.slice(1);
  const lines: string[] = [`### ${builder}`, "", `<a id="${anchor(def.metadata.fqn)}"></a>`, ""];
  if (def.metadata.description !== undefined) lines.push(def.metadata.description, "");
  lines.push(
    `- FQN: \`${def.metadata.fqn}\` (name \`${def.metadata.name}\`)`,
    `- CUE: \`import ${cueAlias(pkg.importPath)} "${pkg.importPath}"\`, then \`${cueAlias(pkg.importPath)}.${def.mixin}\`` +
      ` in a ${def.kind === "PolicyRule" ? "policy" : "component"}; the spec goes under \`spec.${def.specKey}\``,
  );
  if (def.kind !== "PolicyRule")
    lines.push(
      `- TS: \`${builder}({...})\` from \`@opm/sdk/catalog\` in \`component(...)\` (definition \`${def.cueName.slice(1)}\`)`,
    );
  else lines.push(`- TS: \`${def.cueName.slice(1)}\` from \`@opm/sdk/catalog\``);
  const refs = (label: string, fqns: readonly string[] | undefined) => {
    if (fqns !== undefined && fqns.length > 0)
      lines.push(`- ${label}: ${fqns.map((f) => `[${f.split("#")[1]}](#${anchor(f)})`).join(", ")}`);
  };
  refs("Applies to", def.appliesTo);
  refs("Composes resources", def.composedResources);
  refs("Composes traits", def.composedTraits);
  const labels = { ...def.metadata.labels, ...def.mixinAnnotations };
  if (Object.keys(labels).length > 0)
    lines.push(
      `- Labels and annotations: ${Object.entries(labels)
        .map(([k, v]) => `\`${k}: ${String(v)}\``)
        .join(", ")}`,
    );
  if (def.enforcement !== undefined)
    lines.push(
      `- Enforcement: mode \`${def.enforcement.mode}\`, on violation \`${def.enforcement.onViolation}\``,
    );
  lines.push("");
  const rows = fieldRows(def);
  if (rows.length === 0) lines.push(`\`spec.${def.specKey}\` takes ${typeOf(def.specSchema)}.`, "");
  else lines.push(...table(`Field (under \`spec.${def.specKey}\`)`, rows));
  return lines.join("\n");
}

function table(heading: string, rows: readonly FieldRow[]): string[] {
  const lines = [
    `| ${heading} | Type | Required | Default | Description |`,
    "| --- | --- | --- | --- | --- |",
  ];
  for (const row of rows) {
    const value = row.defaultValue === undefined ? "" : `\`${cell(row.defaultValue)}\``;
    lines.push(
      `| \`${row.path}\` | ${cell(row.type)} | ${row.required ? "yes" : ""} | ${value} | ${cell(row.description ?? "")} |`,
    );
  }
  lines.push("");
  return lines;
}

/** Every `$defs` entry the specs use, once, by name (the same name is the same CUE definition). */
function sharedSchemas(catalog: CatalogDescription): [string, unknown][] {
  const byName = new Map<string, unknown>();
  for (const pkg of catalog.packages) {
    for (const def of pkg.definitions) {
      for (const [name, schema] of Object.entries(defsOf(def)))
        if (!byName.has(name)) byName.set(name, schema);
    }
  }
  return [...byName].sort(([a], [b]) => (a < b ? -1 : 1));
}

function sharedSchemaSection(name: string, schema: unknown): string {
  const lines = [`### ${name}`, "", `<a id="${schemaAnchor(name)}"></a>`, ""];
  const doc = description(schema);
  if (doc !== undefined) lines.push(doc, "");
  const rows = schemaRows(schema, {}, undefined);
  if (rows.length === 0)
    lines.push(`Type: ${typeOf({ ...(schema as Schema), description: undefined })}.`, "");
  else lines.push(...table("Field", rows));
  return lines.join("\n");
}

/** docs/catalog.md before formatting. */
export function catalogReference(catalog: CatalogDescription): string {
  const all = catalog.packages.flatMap((pkg) => pkg.definitions.map((def) => ({ pkg, def })));
  const out: string[] = [
    "# Catalog reference",
    "",
    "<!-- Generated by `npm run docs:catalog` from the doc comments in catalog/cue (through catalog/generated/catalog.json). Do not edit. -->",
    "",
    "Every resource, trait, blueprint and policy rule of the built-in `opmodel.dev` catalog: what it",
    "is for, how a CUE module and a TypeScript module use it, and every field of its spec with its",
    "type, whether it is required, its default (from the definition's `#defaults`; a blueprint's",
    "from the traits it composes) and its doc comment. The same comments are the hover docs of the",
    "generated TypeScript builders. See `docs/authoring.md` for how these parts make a module.",
    "",
  ];
  for (const kind of ["Resource", "Trait", "Blueprint", "PolicyRule"] as const) {
    out.push(`## ${KIND_TITLE[kind]}`, "", "| Name | Package | Description |", "| --- | --- | --- |");
    for (const { pkg, def } of all.filter((d) => d.def.kind === kind)) {
      out.push(
        `| [${def.mixin.slice(1)}](#${anchor(def.metadata.fqn)}) | \`${pkg.importPath}\` | ${cell(def.metadata.description ?? "")} |`,
      );
    }
    out.push("");
    for (const { pkg, def } of all.filter((d) => d.def.kind === kind)) out.push(definitionSection(pkg, def));
  }
  out.push(
    "## Shared schemas",
    "",
    "The value schemas the specs above refer to by name, mostly from `opmodel.dev/schemas@v0`.",
    "",
  );
  for (const [name, schema] of sharedSchemas(catalog)) out.push(sharedSchemaSection(name, schema));
  return out.join("\n");
}
