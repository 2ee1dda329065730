// `spec.valuesFrom`: values read from Secrets at each reconcile, so the ModuleRelease holds only
// references. An entry with a path becomes a `--set-file` expression whose "file" names the Secret
// key and whose content is the key's value: the same layering and messages as the CLI's
// --set-file, and the value never appears in an expression text. An entry without a path holds a
// whole values document (what `opm mod handoff` stores), layered like a `-f` file.
import { parse as parseYaml } from "yaml";
import type { ClusterClient } from "../providers/kubernetes/cluster/index.ts";
import { OpmError } from "../sdk/errors.ts";
import type { SetInput } from "../sdk/index.ts";
import type { ModuleReleaseSpec } from "./api/types.ts";

export interface ResolvedValues {
  /** Values documents (entries without a path), in order. */
  readonly documents: { readonly name: string; readonly data: unknown }[];
  readonly set: SetInput[];
  /** The values read, so that messages can be scrubbed of them. */
  readonly secrets: string[];
}

export async function resolveValuesFrom(
  client: ClusterClient,
  namespace: string,
  spec: ModuleReleaseSpec,
): Promise<ResolvedValues> {
  const set: SetInput[] = [];
  const documents: { name: string; data: unknown }[] = [];
  const secrets: string[] = [];
  const cache = new Map<string, Record<string, string> | undefined>();
  for (const entry of spec.valuesFrom ?? []) {
    const { name, key, optional } = entry.secretKeyRef;
    if (!cache.has(name)) {
      const res = await client.raw<{ data?: Record<string, string> }>(
        "GET",
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`,
      );
      if (res.status !== 200 && res.status !== 404)
        throw client.failure(res, `reading Secret ${name} in namespace ${namespace}`);
      cache.set(name, res.status === 404 ? undefined : (res.body.data ?? {}));
    }
    const data = cache.get(name);
    const encoded = data?.[key];
    if (encoded === undefined) {
      if (optional === true) continue;
      throw new OpmError("ValuesRefMissing", {
        message: `valuesFrom ${entry.path ?? `${name}/${key}`}: ${data === undefined ? `Secret ${name} does not exist` : `Secret ${name} has no key ${JSON.stringify(key)}`} in namespace ${namespace}`,
        hint: "create the Secret (or the key), or mark the reference optional: true",
        details: { path: entry.path, secret: name, key },
      });
    }
    const content = Buffer.from(encoded, "base64").toString("utf8");
    secrets.push(content);
    if (entry.path !== undefined) {
      set.push({ flag: "--set-file", text: `${entry.path}=secret/${name}/${key}`, content });
      continue;
    }
    const document = parseDocument(content, `Secret ${name} key ${key}`);
    // Any string of the document may be a secret: none may show in a message.
    secrets.push(...stringsOf(document).filter((s) => s.length >= 6));
    documents.push({ name: `Secret ${name} key ${key}`, data: document });
  }
  return { documents, set, secrets };
}

function parseDocument(content: string, where: string): unknown {
  try {
    return parseYaml(content) as unknown;
  } catch (error) {
    // The parser's message may quote the content: only its position is kept.
    const at = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    throw new OpmError("ValuesParse", {
      message: `valuesFrom ${where} is not a YAML or JSON values document${at === undefined ? "" : ` (line ${at.line}, column ${at.col})`}`,
      hint: "store the values as a YAML or JSON mapping, or give the entry a path to use the content as one value",
    });
  }
}

function stringsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(stringsOf);
  return [];
}

/** `text` with every secret value read replaced by `<redacted>`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 3) out = out.split(secret).join("<redacted>");
  return out;
}
