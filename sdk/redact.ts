// The secret strings one run has seen (values of Secret objects, of fields a module marks
// sensitive, of SOPS files and --set-file contents) and the one function that removes them from
// text: what the CLI writes, what the API server says back. Structured channels (diff, eval,
// inventory) mask by field; this is the net under all of them, for free text nobody can
// structure, such as an API server's message that quotes a whole pod template.
import { isOpmError, OpmError } from "./errors.ts";

/** What replaces a secret value, in text and in data. */
export const MASK = "<masked>";

/**
 * Shorter values are not scrubbed from free text: they would mask ordinary words and numbers
 * ("true", "5432") everywhere. Structured channels still hide them by field.
 */
export const MIN_REDACTED_LENGTH = 4;

export class SecretStrings {
  readonly #values = new Set<string>();
  #pattern: RegExp | undefined;

  /** Registers a secret value, and the forms it travels in (base64, JSON-escaped). */
  add(value: string): void {
    const forms = [value, Buffer.from(value, "utf8").toString("base64"), JSON.stringify(value).slice(1, -1)];
    // Multi-line values (keys, certificates) also leak line by line.
    if (value.includes("\n")) forms.push(...value.split(/\r?\n/));
    for (const form of forms) {
      if (form.trim().length < MIN_REDACTED_LENGTH || this.#values.has(form)) continue;
      this.#values.add(form);
      this.#pattern = undefined;
    }
  }

  /** Registers the values of a Kubernetes Secret object (`data` base64, `stringData` plain). */
  addSecretObject(object: unknown): void {
    if (!isRecord(object) || object["kind"] !== "Secret") return;
    const data = object["data"];
    if (isRecord(data)) {
      for (const v of Object.values(data))
        if (typeof v === "string") this.add(Buffer.from(v, "base64").toString("utf8"));
    }
    const stringData = object["stringData"];
    if (isRecord(stringData))
      for (const v of Object.values(stringData)) if (typeof v === "string") this.add(v);
  }

  /**
   * Registers the secret values in a release's values: `#Secret` values (`{$opm: "secret",
   * value}`) and fields whose names say they are secret (SENSITIVE_KEY).
   */
  addValues(values: unknown): void {
    forEachSensitiveValue(values, (value) => this.add(value));
  }

  get size(): number {
    return this.#values.size;
  }

  /** `text` with every registered value replaced by MASK. */
  redact(text: string): string {
    if (this.#values.size === 0) return text;
    // Longest first, so a value that contains another is replaced whole.
    this.#pattern ??= new RegExp(
      [...this.#values]
        .sort((a, b) => b.length - a.length)
        .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("|"),
      "g",
    );
    return text.replace(this.#pattern, MASK);
  }
}

/**
 * The secret strings of a release: the values of its Secret objects and the sensitive fields of
 * its values (what the cluster side knows when an API server's answer may quote them).
 */
export function releaseSecrets(input: {
  readonly resources: readonly { readonly object: object }[];
  readonly values?: unknown;
}): SecretStrings {
  const secrets = new SecretStrings();
  secrets.addValues(input.values);
  for (const resource of input.resources) secrets.addSecretObject(resource.object);
  return secrets;
}

/**
 * The error with every secret value removed from its message, hint and details; other thrown
 * values are returned as they are. The cause is dropped from a rewritten error: it may quote
 * the same text.
 */
export function redactError(error: unknown, secrets: SecretStrings): unknown {
  if (!isOpmError(error) || secrets.size === 0) return error;
  const details = JSON.parse(secrets.redact(JSON.stringify(error.details))) as Record<string, unknown>;
  const message = secrets.redact(error.message);
  const hint = error.hint === undefined ? undefined : secrets.redact(error.hint);
  if (
    message === error.message &&
    hint === error.hint &&
    JSON.stringify(details) === JSON.stringify(error.details)
  )
    return error;
  return new OpmError(error.key, { message, hint, details, locations: error.locations });
}

/** Field names that hold secrets by convention (password, token, apiKey, ...). */
export const SENSITIVE_KEY = /(password|passwd|secret|token|apikey|api_key|private|credential)/i;

/** Calls `visit` with every secret scalar in `values` (as text), in document order. */
export function forEachSensitiveValue(values: unknown, visit: (value: string) => void, key = ""): void {
  if (Array.isArray(values)) {
    for (const item of values) forEachSensitiveValue(item, visit, key);
  } else if (isRecord(values)) {
    if (values["$opm"] === "secret") {
      if (typeof values["value"] === "string") visit(values["value"]);
      return;
    }
    for (const [k, v] of Object.entries(values)) forEachSensitiveValue(v, visit, k);
  } else if (SENSITIVE_KEY.test(key) && (typeof values === "string" || typeof values === "number")) {
    visit(String(values));
  }
}

/** Values with secret material masked: `#Secret` values and fields with sensitive names. */
export function maskValues(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => maskValues(v, key));
  if (isRecord(value)) {
    if (value["$opm"] === "secret")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "value" ? MASK : v]));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValues(v, k)]));
  }
  if (SENSITIVE_KEY.test(key) && value !== null && value !== undefined) return MASK;
  return value;
}

/** A Kubernetes object with the values of a Secret (`data`, `stringData`) masked; others as given. */
export function maskSecretObject<T>(object: T): T {
  if (!isRecord(object) || object["kind"] !== "Secret") return object;
  const out: Record<string, unknown> = { ...object };
  for (const field of ["data", "stringData"]) {
    const values = out[field];
    if (isRecord(values)) out[field] = Object.fromEntries(Object.keys(values).map((k) => [k, MASK]));
  }
  return out as T;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
