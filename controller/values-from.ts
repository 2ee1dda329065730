// `spec.valuesFrom`: values read from Secrets at each reconcile, so the ModuleRelease holds only
// references. Each becomes a `--set-file` expression whose "file" names the Secret key and whose
// content is the key's value: the same layering and messages as the CLI's --set-file, and the
// value never appears in an expression text.
import type { ClusterClient } from "../providers/kubernetes/cluster/index.ts";
import { OpmError } from "../sdk/errors.ts";
import type { SetInput } from "../sdk/index.ts";
import type { ModuleReleaseSpec } from "./api/types.ts";

export interface ResolvedValues {
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
        message: `valuesFrom ${entry.path}: ${data === undefined ? `Secret ${name} does not exist` : `Secret ${name} has no key ${JSON.stringify(key)}`} in namespace ${namespace}`,
        hint: "create the Secret (or the key), or mark the reference optional: true",
        details: { path: entry.path, secret: name, key },
      });
    }
    const content = Buffer.from(encoded, "base64").toString("utf8");
    secrets.push(content);
    set.push({ flag: "--set-file", text: `${entry.path}=secret/${name}/${key}`, content });
  }
  return { set, secrets };
}

/** `text` with every secret value read replaced by `<redacted>`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 3) out = out.split(secret).join("<redacted>");
  return out;
}
