// Map entries named by their key (ports, env, volumes, mounts): the key supplies `name`, so it
// is optional to write. CUE fills it with `name: *key | string`; the transformers do the same.
import { z } from "./zod.ts";

/** `T` with an optional `name`, for entries of a map keyed by name. */
export type KeyNamed<T> = T extends { readonly name: infer N } ? Omit<T, "name"> & { readonly name?: N } : T;

/**
 * The zod counterpart of {@link KeyNamed}: `name` becomes optional when the schema has one (in
 * every alternative of a union, such as an env var's sources).
 */
export function keyNamed<S extends z.ZodType>(schema: S): S {
  if (schema instanceof z.ZodObject && "name" in schema.shape) {
    return schema.partial({ name: true }) as unknown as S;
  }
  if (schema instanceof z.ZodUnion) {
    return z.union(schema.options.map((option) => keyNamed(option as z.ZodType))) as unknown as S;
  }
  return schema;
}
