// Names of the ConfigMaps and Secrets a component owns, as its workloads reference them. An
// immutable one is named `<name>-<hash>` (RFC-0003): the first 10 hex digits of SHA-256 over its
// data as sorted `key=value` lines, where a secret of the module's config counts as its value
// (literal) or as where it points (reference). The ConfigMap/Secret transformer and the workload
// transformers compute the same name from the same spec, with no state shared between them.
import { createHash } from "node:crypto";
import type { TransformerContext } from "../../sdk/index.ts";
import { secretHashText, secretKeyOf, type SecretValue } from "../../sdk/index.ts";
import type { ConfigMapSpec, KubernetesComponentSpec, SecretSpec } from "./spec.ts";

/** 10 lowercase hex digits of SHA-256 over `k=v` lines in key order (Kustomize's length). */
export function contentHash(data: Readonly<Record<string, string>>): string {
  const text = Object.keys(data)
    .sort()
    .map((key) => `${key}=${data[key]!}`)
    .join("\n");
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, 10);
}

function secretHashData(secret: SecretSpec): Record<string, string> {
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([key, entry]) => [
      key,
      typeof entry === "string" ? entry : secretHashText(entry),
    ]),
  );
}

/** The emitted name of a ConfigMap of `spec.configMaps`, hashed when immutable. */
export function configMapObjectName(
  key: string,
  configMap: ConfigMapSpec,
  context: TransformerContext,
): string {
  const base = context.objectName(key);
  return configMap.immutable === true ? `${base}-${contentHash(configMap.data ?? {})}` : base;
}

/** The emitted name of a Secret of `spec.secrets`, hashed when immutable. */
export function secretObjectName(key: string, secret: SecretSpec, context: TransformerContext): string {
  const base = context.objectName(key);
  return secret.immutable === true ? `${base}-${contentHash(secretHashData(secret))}` : base;
}

/**
 * What a workload writes for a ConfigMap or Secret name: the component's own object under its
 * emitted name (release-prefixed, hashed when immutable); any other name is an object the
 * component does not own, used as written.
 */
export interface ConfigObjectNames {
  configMap(name: string): string;
  secret(name: string): string;
  /** The Secret and key holding a secret of the module's config. */
  secretKey(secret: SecretValue): { readonly name: string; readonly key: string };
}

export function configObjectNames(
  spec: KubernetesComponentSpec | undefined,
  context: TransformerContext,
): ConfigObjectNames {
  return {
    configMap: (name) => {
      const own = spec?.configMaps?.[name];
      return own === undefined ? name : configMapObjectName(name, own, context);
    },
    secret: (name) => {
      const own = spec?.secrets?.[name];
      return own === undefined ? name : secretObjectName(name, own, context);
    },
    secretKey: (secret) => {
      const at = secretKeyOf(secret);
      return { name: at.rendered ? context.objectName(at.name) : at.name, key: at.key };
    },
  };
}
