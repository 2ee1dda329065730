// Where a component is written in a module's source text, for positioned match errors. Both
// authoring languages write components as fields of a `components` struct (`components: {web:
// ...}` in TS, `#components: {web: ...}` in CUE), so one textual scan serves both: the first
// field label `name` (bare or quoted) after the first `components` label. A heuristic on text,
// never on evaluation: it may miss (components built in a loop, in another file), then the
// error simply carries no position.
import type { SourceLocation } from "../errors.ts";

const COMPONENTS_LABEL = /(^|[^\w$])#?components\s*:/m;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The position of component `name`'s label in `text` (of `file`), or with `field` the position
 * of the first `field` label after it (`dependsOn`, which the module writes only when it has
 * one), or undefined.
 */
export function locateComponentInSource(
  file: string,
  text: string,
  name: string,
  field?: string,
): SourceLocation | undefined {
  const block = COMPONENTS_LABEL.exec(text);
  if (block === null) return undefined;
  const start = block.index + block[0].length;
  const label = new RegExp(`(^|[\\s{,(])(["']?)${escapeRegExp(name)}\\2\\s*:`, "g");
  label.lastIndex = start;
  const found = label.exec(text);
  if (found === null) return undefined;
  let offset = found.index + found[1]!.length;
  if (field !== undefined) {
    const inner = new RegExp(`(^|[\\s{,(])(["']?)${escapeRegExp(field)}\\2\\s*:`, "g");
    inner.lastIndex = offset + name.length;
    const at = inner.exec(text);
    if (at === null) return undefined;
    offset = at.index + at[1]!.length;
  }
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return { file, line, column };
}
