// Values are closed, as `values: close(#config)` is in CUE: a key the schema does not declare is an
// error, not something to drop quietly. zod's plain z.object strips unknown keys, so we find them
// by walking the schema's JSON Schema (input side) beside the values.
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  items?: JsonSchema | JsonSchema[];
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

export interface UnknownKey {
  path: (string | number)[];
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/** Every key of `value` that `schema` does not allow, with its path. */
export function unknownKeys(schema: JsonSchema, value: unknown): UnknownKey[] {
  const found: UnknownKey[] = [];
  const resolve = (s: JsonSchema): JsonSchema => {
    const ref = s.$ref;
    if (ref === undefined || !ref.startsWith("#/$defs/")) return s;
    return schema.$defs?.[ref.slice("#/$defs/".length)] ?? {};
  };

  const walk = (raw: JsonSchema, v: unknown, path: (string | number)[]): void => {
    const s = resolve(raw);
    if (s.allOf) {
      walk(mergeObjects(s.allOf.map(resolve)), v, path);
      return;
    }
    const branches = s.anyOf ?? s.oneOf;
    if (branches) {
      // Only an object value against object branches can be judged: a key is unknown when no
      // branch declares it and every branch is closed; nested keys are left to the branch zod chose.
      const objects = branches.map(resolve).filter((b) => b.properties !== undefined);
      if (!isRecord(v) || objects.length === 0 || objects.some((b) => !isClosed(b))) return;
      for (const key of Object.keys(v)) {
        if (!objects.some((b) => key in (b.properties ?? {}))) found.push({ path: [...path, key] });
      }
      return;
    }
    if (isRecord(v) && (s.properties || s.additionalProperties !== undefined)) {
      for (const [key, child] of Object.entries(v)) {
        const declared = s.properties?.[key];
        if (declared) walk(declared, child, [...path, key]);
        else if (typeof s.additionalProperties === "object")
          walk(s.additionalProperties, child, [...path, key]);
        else if (
          s.patternProperties &&
          Object.keys(s.patternProperties).some((p) => new RegExp(p, "u").test(key))
        )
          continue;
        else if (isClosed(s)) found.push({ path: [...path, key] });
      }
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        const itemSchema = s.prefixItems?.[i] ?? (Array.isArray(s.items) ? s.items[i] : s.items);
        if (itemSchema) walk(itemSchema, item, [...path, i]);
      });
    }
  };

  walk(schema, value, []);
  return found;
}

function isClosed(s: JsonSchema): boolean {
  return (
    s.properties !== undefined &&
    (s.additionalProperties === undefined || s.additionalProperties === false) &&
    !s.patternProperties
  );
}

function mergeObjects(parts: JsonSchema[]): JsonSchema {
  const merged: JsonSchema = { properties: {} };
  for (const part of parts) {
    Object.assign(merged.properties!, part.properties ?? {});
    if (part.additionalProperties !== undefined && part.additionalProperties !== false) {
      merged.additionalProperties = part.additionalProperties;
    }
  }
  return merged;
}
