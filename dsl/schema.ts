// Adapters from zod schemas to the schema handles the IR carries (sdk stays free of zod):
// a definition's spec schema and a module's `#config`. Both report every issue, not the first.
import type { ConfigCheck, ConfigSchema, SpecSchema } from "../sdk/index.ts";
import { z } from "zod";

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
  return {
    validate(values: unknown): ConfigCheck {
      const result = schema.safeParse(values);
      if (result.success) return { issues: [], value: result.data };
      return {
        issues: result.error.issues.map((issue) => {
          const expected = expectationOf(issue);
          return {
            path: issue.path.filter((p): p is string | number => typeof p !== "symbol"),
            message: issue.message,
            ...(expected === undefined ? {} : { expected }),
          };
        }),
      };
    },
    toJSONSchema: () => z.toJSONSchema(schema, { unrepresentable: "any" }),
  };
}
