// Structured output: one spelling of `-o` and one printer, so every command that prints data
// offers JSON and YAML alike, with the same content in both.
import { Option } from "clipanion";
import * as t from "typanion";

export type DataFormat = "json" | "yaml";

/** `-o,--output <format>` with the command's formats (`-o` alone where `--output` names a directory). */
export const outputOption = (formats: readonly string[], fallback: string, names = "-o,--output") =>
  Option.String(names, fallback, {
    description: `output format: ${formats.slice(0, -1).join(", ")} or ${formats.at(-1)}`,
    validator: t.isEnum(formats),
  });

export function isDataFormat(format: string): format is DataFormat {
  return format === "json" || format === "yaml";
}

/** The value as a JSON document (2-space indent) or a YAML document, newline-terminated. */
export async function formatData(format: DataFormat, value: unknown): Promise<string> {
  if (format === "json") return `${JSON.stringify(value, null, 2)}\n`;
  const { stringify } = await import("yaml");
  // lineWidth 0: long strings stay on one line, as in the JSON.
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}
