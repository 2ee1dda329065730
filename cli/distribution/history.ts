// Release history: what each change needs to be shown and returned to. The inventory's change
// record holds the module's source (registry reference and digest, or a local path) and a
// reference to the change's values, never the values: those live in a Secret of their own in the
// release's namespace, named by the values' digest and owned by the inventory Secret (so deleting
// the release's inventory removes them), and only as many as the history keeps.
import type {
  ChangeRecord,
  ClusterClient,
  Inventory,
  ReleaseInput,
  ReleaseSource,
} from "../../providers/kubernetes/cluster/index.ts";
import { inventoryName, type ReleaseRef } from "../../providers/kubernetes/cluster/index.ts";
import { OciError } from "../../providers/oci/index.ts";
import { maskValues } from "../../sdk/redact.ts";

const VALUES_LABEL = "opmodel.dev/release-values";
const VALUES_KEY = "values.json";

export function valuesSecretName(release: ReleaseRef, valuesDigest: string): string {
  return `${inventoryName(release)}-values-${valuesDigest.replace(/^sha256:/, "").slice(0, 16)}`;
}

const secretsPath = (namespace: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`;

/** The apply input with its source and the reference to where its values will be kept. */
export async function withHistory(
  input: ReleaseInput,
  source: ReleaseSource,
  choices: { readonly naming?: ReleaseSource["naming"]; readonly provider?: string } = {},
): Promise<ReleaseInput> {
  const { valuesDigestOf } = await import("../../providers/kubernetes/cluster/index.ts");
  const digest = valuesDigestOf(input);
  const release = {
    name: input.release.name,
    namespace: input.release.namespace,
    identity: input.release.identity,
  };
  // The render's choices go with the source, so a handoff renders the release the same way.
  return {
    ...input,
    source: {
      ...source,
      ...(choices.naming === undefined ? {} : { naming: choices.naming }),
      ...(choices.provider === undefined ? {} : { provider: choices.provider }),
      values: { secret: valuesSecretName(release, digest), digest },
    },
  };
}

/**
 * Stores a change's values (after a successful apply, when the inventory exists to own them) and
 * removes values Secrets no change of the history refers to any more.
 */
export async function recordValues(client: ClusterClient, input: ReleaseInput): Promise<void> {
  const secretName = input.source?.values?.secret;
  if (secretName === undefined) return;
  const { readInventory } = await import("../../providers/kubernetes/cluster/index.ts");
  const ref = {
    name: input.release.name,
    namespace: input.release.namespace,
    identity: input.release.identity,
  };
  const inventory = await readInventory(client, ref);
  if (inventory === undefined) return;
  const { values } = input;
  const { release } = inventory;
  const owner = await client.json<{ metadata: { uid: string; name: string } }>(
    "GET",
    `${secretsPath(release.namespace)}/${encodeURIComponent(inventoryName(release))}`,
    "reading the release inventory",
  );
  const body = {
    apiVersion: "v1",
    kind: "Secret",
    type: "opmodel.dev/release-values",
    metadata: {
      name: secretName,
      namespace: release.namespace,
      labels: { [VALUES_LABEL]: release.identity },
      ownerReferences: [
        { apiVersion: "v1", kind: "Secret", name: owner.metadata.name, uid: owner.metadata.uid },
      ],
    },
    data: { [VALUES_KEY]: Buffer.from(JSON.stringify(values ?? null)).toString("base64") },
  };
  const created = await client.raw("POST", secretsPath(release.namespace), { body });
  if (created.status !== 201 && created.status !== 409)
    throw client.failure(created, `storing the values of ${release.name}`);
  const referenced = new Set(
    inventory.index
      .map((id) => inventory.changes[id]?.source?.values?.secret)
      .filter((n): n is string => n !== undefined),
  );
  referenced.add(secretName);
  const list = await client.json<{ items: { metadata: { name: string } }[] }>(
    "GET",
    secretsPath(release.namespace),
    "listing release values",
    {
      query: { labelSelector: `${VALUES_LABEL}=${release.identity}` },
    },
  );
  for (const item of list.items) {
    if (referenced.has(item.metadata.name)) continue;
    await client.raw("DELETE", `${secretsPath(release.namespace)}/${encodeURIComponent(item.metadata.name)}`);
  }
}

export async function readValues(
  client: ClusterClient,
  namespace: string,
  source: ReleaseSource | undefined,
): Promise<unknown> {
  const name = source?.values?.secret;
  if (name === undefined) {
    throw new OciError("RollbackUnavailable", {
      message: "this change recorded no values (it was applied by an opm without history support)",
      hint: "apply the module again to start a history",
    });
  }
  const secret = await client.raw<{ data?: Record<string, string> }>(
    "GET",
    `${secretsPath(namespace)}/${encodeURIComponent(name)}`,
  );
  if (secret.status === 404) {
    throw new OciError("RollbackUnavailable", {
      message: `the values of this change (Secret ${name}) are gone`,
      hint: "the history was trimmed or the Secret deleted; apply the module version again with its values",
    });
  }
  if (secret.status !== 200) throw client.failure(secret, `reading Secret ${name}`);
  return JSON.parse(Buffer.from(secret.body.data?.[VALUES_KEY] ?? "", "base64").toString("utf8") || "null");
}

export interface HistoryRow {
  /** 1 for the oldest change kept, counting up. */
  readonly revision: number;
  readonly change: ChangeRecord;
  readonly current: boolean;
}

/** The kept changes, oldest first, numbered like Helm's revisions. */
export function historyOf(inventory: Inventory): HistoryRow[] {
  const ids = [...inventory.index].reverse();
  return ids
    .map((id) => inventory.changes[id])
    .filter((c): c is ChangeRecord => c !== undefined)
    .map((change, i, all) => ({ revision: i + 1, change, current: i === all.length - 1 }));
}

export { maskValues };

/** Revision `text` of the history, or the current / previous one when none is given. */
export function pickRevision(
  rows: readonly HistoryRow[],
  text: string | undefined,
  fallback: "current" | "previous",
): HistoryRow {
  if (text !== undefined) {
    const n = Number(text);
    const row = rows.find((r) => r.revision === n);
    if (row === undefined) {
      throw new OciError("RollbackUnavailable", {
        message: `revision ${text} is not in the history (kept: ${rows.map((r) => r.revision).join(", ") || "none"})`,
        hint: "list the revisions with `opm mod history`",
      });
    }
    return row;
  }
  const row = fallback === "current" ? rows.at(-1) : rows.at(-2);
  if (row === undefined) {
    throw new OciError("RollbackUnavailable", {
      message:
        fallback === "current"
          ? "the release has no recorded change"
          : "the release has no earlier change to return to",
      hint: "list the revisions with `opm mod history`",
    });
  }
  return row;
}

export interface RollbackTarget {
  readonly release: string;
  readonly revision: number;
  readonly module: string;
  readonly version: string;
  /** A temporary JSON file with the change's values, for the render. */
  readonly valuesFile: string;
  readonly cleanup: () => Promise<void>;
}

/** The change to return to, refused when it cannot be reproduced. */
export async function rollbackTarget(
  client: ClusterClient,
  request: { readonly namespace: string; readonly name: string | undefined; readonly to: string | undefined },
): Promise<RollbackTarget> {
  if (request.name === undefined) {
    throw new OciError("RollbackUnavailable", {
      message: "name the release with --release-name",
      hint: "list releases with `opm mod list`",
    });
  }
  const { requireInventory } = await import("../../providers/kubernetes/cluster/index.ts");
  const inventory = await requireInventory(client, { namespace: request.namespace, name: request.name });
  const row = pickRevision(historyOf(inventory), request.to, "previous");
  const source = row.change.source;
  if (source?.kind !== "registry" || source.version === undefined) {
    throw new OciError("RollbackUnavailable", {
      message: `revision ${row.revision} was applied from a local module (${source?.module ?? "unknown"}), not a published version, so it cannot be reproduced`,
      hint: "publish the module with `opm mod publish` and apply <module path>@<version>; a local directory may have changed since",
    });
  }
  const values = await readValues(client, request.namespace, source);
  const { mkdtemp, rm, writeFile } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = await mkdtemp(join(tmpdir(), "opm-rollback-"));
  const valuesFile = join(dir, "values.json");
  await writeFile(valuesFile, JSON.stringify(values ?? {}), { mode: 0o600 });
  return {
    release: inventory.release.name,
    revision: row.revision,
    module: source.module,
    version: source.version,
    valuesFile,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
