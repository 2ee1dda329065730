// One Secret per entry of `spec.secrets`, named by its key (docs/upstream-compatibility.md), or
// `<key>-<hash>` when immutable. Plain data is expected base64-encoded already, as the catalog
// schema says; an entry that is a secret of the module's config is dispatched by variant: a
// literal is encoded into the Secret, a reference to an existing Secret renders nothing, an
// External Secrets reference renders an ExternalSecret (external-secrets.io/v1) that makes the
// Secret. The `opm-secrets` component the pipeline builds from the config lands here too.
import { OpmError, secretVariant, type PlatformObject, type SecretESORef } from "../../../sdk/index.ts";
import type { TransformerContext } from "../../../sdk/index.ts";
import { secretObjectName } from "../config-objects.ts";
import { compact, defineKubernetesTransformer, objectMetadata, sortedEntries } from "../define.ts";
import { ResourceFqn, type SecretSpec } from "../spec.ts";

export const EXTERNAL_SECRET_API_VERSION = "external-secrets.io/v1";

/**
 * One Secret per entry of a component's `secrets` (an ExternalSecret for an External Secrets
 * reference, nothing for a reference to an existing Secret).
 */
export const secretTransformer = defineKubernetesTransformer({
  name: "secret-transformer",
  description: "Creates a Kubernetes Secret for each entry of a component's secrets",
  labels: { "core.opmodel.dev/resource-category": "security" },
  requiredResources: [ResourceFqn.secrets],
  transform: (spec, _component, context) => {
    const out: Record<string, PlatformObject> = {};
    for (const [key, secret] of sortedEntries(spec.secrets)) {
      Object.assign(out, secretObjects(key, secret, context));
    }
    return out;
  },
});

function secretObjects(
  key: string,
  secret: SecretSpec,
  context: TransformerContext,
): Record<string, PlatformObject> {
  const data: Record<string, string> = {};
  const external: [string, SecretESORef][] = [];
  let references = 0;
  for (const [dataKey, entry] of sortedEntries(secret.data)) {
    if (typeof entry === "string") data[dataKey] = entry;
    else if (secretVariant(entry) === "literal") data[dataKey] = base64("value" in entry ? entry.value : "");
    else if (secretVariant(entry) === "eso") external.push([dataKey, entry as SecretESORef]);
    else references++;
  }
  const name = secretObjectName(key, secret, context);
  if (external.length > 0) {
    if (Object.keys(data).length > 0) {
      throw new OpmError("ConflictingSecrets", {
        message: `Secret ${key} mixes values with External Secrets references (${external.map(([k]) => k).join(", ")}): the ExternalSecret would own the Secret its values go into`,
        hint: "give the externally fetched keys a $secretName of their own",
        details: { secret: key },
      });
    }
    return { [key]: externalSecret(key, name, external, context) };
  }
  // Only references to Secrets that exist already: nothing to render.
  if (references > 0 && Object.keys(data).length === 0) return {};
  return {
    [key]: compact({
      apiVersion: "v1",
      kind: "Secret",
      metadata: objectMetadata(context, name, false),
      type: secret.type ?? "Opaque",
      immutable: secret.immutable,
      data,
    }),
  };
}

function externalSecret(
  key: string,
  name: string,
  entries: readonly [string, SecretESORef][],
  context: TransformerContext,
): PlatformObject {
  const first = entries[0]![1].externalSecret;
  const storeKind = first.storeKind ?? "ClusterSecretStore";
  const refreshInterval = first.refreshInterval ?? "1h";
  for (const [dataKey, entry] of entries) {
    const ref = entry.externalSecret;
    if (
      ref.store !== first.store ||
      (ref.storeKind ?? "ClusterSecretStore") !== storeKind ||
      (ref.refreshInterval ?? "1h") !== refreshInterval
    ) {
      throw new OpmError("ConflictingSecrets", {
        message: `Secret ${key}: key ${dataKey} reads from another store (or refreshes at another interval) than key ${entries[0]![0]}; one ExternalSecret has one store`,
        hint: "give keys from different stores different $secretName values",
        details: { secret: key },
      });
    }
  }
  return {
    apiVersion: EXTERNAL_SECRET_API_VERSION,
    kind: "ExternalSecret",
    metadata: objectMetadata(context, name, false),
    spec: {
      refreshInterval,
      secretStoreRef: { name: first.store, kind: storeKind },
      target: { name, creationPolicy: "Owner" },
      data: entries.map(([dataKey, entry]) => ({
        secretKey: dataKey,
        remoteRef: compact({ key: entry.externalSecret.remoteKey, property: entry.externalSecret.property }),
      })),
    },
  };
}

function base64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}
