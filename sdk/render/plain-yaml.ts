// A direct printer for the common shape of a rendered manifest: nested plain objects and arrays of
// simple strings, safe integers, booleans and null. It writes exactly what yaml's stringify writes
// with formatManifests' options (block style, two-space indent, sequences indented under their key,
// no folding), and declines anything else (a string that would need quotes or a block scalar, a
// float, a non-plain object): the caller then prints that document with yaml. yaml's general
// stringifier builds a document tree first, which made it the largest single cost of a warm
// `opm mod build` after Node's own start; this walks the data once.

/**
 * A string yaml prints as it is: a letter, digit, `_`, `/` or a dash before a word first; then no
 * character that starts a comment, a quote, an escape or a flow collection; never `: ` or ` #`
 * inside, nor a colon or space last. (yaml prints more strings plain; those go through it.)
 */
const PLAIN = /^(?:[A-Za-z0-9_/]|-(?=[A-Za-z0-9-]))[A-Za-z0-9 _./:=+@%,'()!?&;~^$<-]*$/;
const INDICATOR_INSIDE = /: | #|[: ]$/;
/** Strings a YAML 1.2 or 1.1 reader would take for a number, a time or a date (and a few more). */
const NUMBER_LIKE =
  /^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$|^0[xXoObB]|^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$|^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/;
/** Booleans and null of YAML 1.2 and 1.1, in any case. */
const RESERVED_WORDS = /^(?:true|false|null|yes|no|on|off|y|n)$/i;
/** Implicit keys are limited to 1024 characters; nothing near it is printed here. */
const MAX_PLAIN = 500;

function plainString(value: string): string | undefined {
  if (value.length > MAX_PLAIN || !PLAIN.test(value) || INDICATOR_INSIDE.test(value)) return undefined;
  return RESERVED_WORDS.test(value) || NUMBER_LIKE.test(value) ? undefined : value;
}

function scalar(value: unknown): string | undefined {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number")
    return Number.isSafeInteger(value) && !Object.is(value, -0) ? `${value}` : undefined;
  if (typeof value === "string") return plainString(value);
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** What follows `key:` or `-`: ` value\n`, ` []\n`, or a newline and the nested block at `indent`. */
function after(value: unknown, indent: string, nested: boolean): string | undefined {
  if (Array.isArray(value)) {
    if (value.length === 0) return " []\n";
    const items = sequence(value, indent);
    return items === undefined ? undefined : nested ? ` ${items}` : `\n${indent}${items}`;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return " {}\n";
    const entries = mapping(value, keys, indent);
    return entries === undefined ? undefined : nested ? ` ${entries}` : `\n${indent}${entries}`;
  }
  const text = scalar(value);
  return text === undefined ? undefined : ` ${text}\n`;
}

/** The entries of a mapping, the first without its indentation. */
function mapping(
  value: Record<string, unknown>,
  keys: readonly string[],
  indent: string,
): string | undefined {
  let out = "";
  for (const [i, key] of keys.entries()) {
    const name = plainString(key);
    const entry = value[key];
    if (name === undefined || entry === undefined) return undefined;
    const rest = after(entry, `${indent}  `, false);
    if (rest === undefined) return undefined;
    out += `${i === 0 ? "" : indent}${name}:${rest}`;
  }
  return out;
}

/** The items of a sequence, the first without its indentation; nested blocks start on the dash's line. */
function sequence(value: readonly unknown[], indent: string): string | undefined {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) return undefined;
    const rest = after(value[i], `${indent}  `, true);
    if (rest === undefined) return undefined;
    out += `${i === 0 ? "" : indent}-${rest}`;
  }
  return out;
}

/**
 * `object` as one YAML document, byte-identical to yaml's stringify with formatManifests' options,
 * or undefined when it holds anything this printer leaves to yaml.
 */
export function printPlainYaml(object: unknown): string | undefined {
  if (!isPlainObject(object)) return undefined;
  const keys = Object.keys(object);
  return keys.length === 0 ? "{}\n" : mapping(object, keys, "");
}
