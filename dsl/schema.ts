// Adapters from zod schemas to the schema handles the IR carries (sdk stays free of zod):
// a definition's spec schema and a module's `#config`. Both report every issue, not the first.
import type { ConfigCheck, ConfigSchema, SpecSchema } from "../sdk/index.ts";
import { z } from "./zod.ts";
import { type JsonSchema, unknownKeys } from "./closed-values.ts";

type Issue = { path: readonly (string | number)[]; message: string };

function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({
    path: issue.path.filter((p): p is string | number => typeof p !== "symbol"),
    message: issue.message,
  }));
}

/** What a zod issue expected, in words, for the values error's "expected ..." part. */
function expectationOf(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === "invalid_type") return issue.expected;
  if (issue.code === "invalid_value")
    return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  if (issue.code === "too_small") return `${issue.inclusive === false ? ">" : ">="} ${String(issue.minimum)}`;
  if (issue.code === "too_big") return `${issue.inclusive === false ? "<" : "<="} ${String(issue.maximum)}`;
  if (issue.code === "invalid_format") return `a string matching ${issue.pattern ?? issue.format}`;
  if (issue.code === "unrecognized_keys") return "no such key";
  return undefined;
}

/** A spec schema handle backed by zod. */
export function zodSpecSchema(schema: z.ZodType): SpecSchema {
  return {
    validate(value: unknown) {
      const result = schema.safeParse(value);
      return result.success ? [] : issuesOf(result.error);
    },
  };
}

/** A module `#config` handle backed by zod: validates and returns the parsed (defaulted) values. */
export function zodConfigSchema(schema: z.ZodType): ConfigSchema {
  let inputSchema: JsonSchema | undefined;
  return {
    validate(values: unknown): ConfigCheck {
      inputSchema ??= z.toJSONSchema(schema, {
        io: "input",
        unrepresentable: "any",
      }) as unknown as JsonSchema;
      const result = schema.safeParse(values);
      const reported = new Set<string>();
      const issues: ConfigCheck["issues"][number][] = result.success
        ? []
        : result.error.issues.map((issue) => {
            const expected = expectationOf(issue);
            const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
            if (issue.code === "unrecognized_keys") {
              for (const key of issue.keys) reported.add(JSON.stringify([...path, key]));
            }
            return {
              path,
              message: issue.message,
              ...(expected === undefined ? {} : { expected }),
            };
          });
      for (const unknown of unknownKeys(inputSchema, values)) {
        if (reported.has(JSON.stringify(unknown.path))) continue;
        issues.push({ path: unknown.path, message: "field not allowed", expected: "no such key in #config" });
      }
      if (issues.length > 0) return { issues };
      return { issues: [], value: (result as { data: unknown }).data };
    },
    toJSONSchema: () => z.toJSONSchema(schema, { unrepresentable: "any" }),
  };
}
