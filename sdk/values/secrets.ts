// The sensitive-data model as plain data: a secret in a module's resolved config is a struct
// marked `$opm: "secret"` that names the Kubernetes Secret it belongs to (`$secretName`) and its
// key there (`$dataKey`), and holds the value (a literal), the key of a Secret that already
// exists, or where the External Secrets Operator reads it. The catalog's `#Secret` (CUE) and
// the dsl's `secret()` (zod) both resolve to this shape, so discovery works on checked values
// whichever language the module is written in, at any depth (upstream unrolled three levels).
import { OpmError } from "../errors.ts";
import { canonicalize } from "../render/canonical.ts";

interface SecretBase {
  /** The mark discovery looks for; resolved config always has it (CUE and zod default it). */
  readonly $opm?: "secret";
  /** The Kubernetes Secret the value lands in; several secrets may share one. */
  readonly $secretName: string;
  /** The key inside that Secret. */
  readonly $dataKey: string;
  /** What the secret is for, for docs and prompts. */
  readonly description?: string;
}

/** The value itself; rendered into a Kubernetes Secret. */
export interface SecretLiteral extends SecretBase {
  /** The secret itself. */
  readonly value: string;
}

/** A key of a Secret that already exists in the namespace; nothing is rendered for it. */
export interface SecretK8sRef extends SecretBase {
  /** The existing Secret's name. */
  readonly secretName: string;
  /** The key in that Secret. */
  readonly remoteKey: string;
}

/** Fetched by the External Secrets Operator; rendered as an ExternalSecret. */
export interface SecretESORef extends SecretBase {
  /** Where the operator reads the secret. */
  readonly externalSecret: {
    /** The SecretStore or ClusterSecretStore. */
    readonly store: string;
    /** @default "ClusterSecretStore" */
    readonly storeKind?: "SecretStore" | "ClusterSecretStore";
    /** The secret's key in the store. */
    readonly remoteKey: string;
    /** A property inside that secret. */
    readonly property?: string;
    /** @default "1h" */
    readonly refreshInterval?: string;
  };
}

/** A secret of a module's config, in any of its three variants. */
export type SecretValue = SecretLiteral | SecretK8sRef | SecretESORef;

/** Which of the three a secret is: a literal value, an existing Secret, an External Secrets reference. */
export type SecretVariant = "literal" | "k8s" | "eso";

/** True for a struct marked as a secret (`$opm: "secret"`), whatever its variant. */
export function isSecretValue(x: unknown): x is SecretValue {
  return (
    typeof x === "object" &&
    x !== null &&
    !Array.isArray(x) &&
    (x as { $opm?: unknown }).$opm === "secret" &&
    typeof (x as { $secretName?: unknown }).$secretName === "string" &&
    typeof (x as { $dataKey?: unknown }).$dataKey === "string"
  );
}

/** The variant of a secret, read from the fields it has. */
export function secretVariant(secret: SecretValue): SecretVariant {
  if ("value" in secret) return "literal";
  if ("externalSecret" in secret) return "eso";
  return "k8s";
}

/**
 * Where a container reads the secret from: the Secret's name (before release naming, for the
 * rendered ones) and its key. A literal and an ESO reference land in `$secretName`/`$dataKey`
 * (the ExternalSecret's target); a reference names an existing Secret, used as is.
 */
export function secretKeyOf(secret: SecretValue): {
  /** The Secret's name. */
  readonly name: string;
  /** The key in it. */
  readonly key: string;
  /** Whether this release renders that Secret (so release naming applies to its name). */
  readonly rendered: boolean;
} {
  if (secretVariant(secret) === "k8s") {
    const ref = secret as SecretK8sRef;
    return { name: ref.secretName, key: ref.remoteKey, rendered: false };
  }
  return { name: secret.$secretName, key: secret.$dataKey, rendered: true };
}

/**
 * The text a content hash covers for one secret entry, never the value's place in a
 * struct: a literal hashes as its value, a reference as where it points (RFC-0003).
 */
export function secretHashText(secret: SecretValue): string {
  switch (secretVariant(secret)) {
    case "literal":
      return (secret as SecretLiteral).value;
    case "k8s": {
      const ref = secret as SecretK8sRef;
      return `k8sref:${ref.secretName}:${ref.remoteKey}`;
    }
    case "eso": {
      const eso = (secret as SecretESORef).externalSecret;
      return `eso:${eso.storeKind ?? "ClusterSecretStore"}:${eso.store}:${eso.remoteKey}:${eso.property ?? ""}`;
    }
  }
}

/** A secret found in values, and where. */
export interface FoundSecret {
  /** Where in the values the secret sits, e.g. `["db", "password"]`. */
  readonly path: readonly (string | number)[];
  /** The secret found there. */
  readonly secret: SecretValue;
}

/** Every secret in `values`, at any depth, in key order (maps) and index order (lists). */
export function findSecrets(values: unknown): FoundSecret[] {
  const found: FoundSecret[] = [];
  const walk = (value: unknown, path: (string | number)[]): void => {
    if (isSecretValue(value)) {
      found.push({ path, secret: value });
      return;
    }
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (typeof value === "object" && value !== null) {
      for (const key of Object.keys(value).sort())
        walk((value as Record<string, unknown>)[key], [...path, key]);
    }
  };
  walk(values, []);
  return found;
}

/**
 * The secrets written inline in components' specs (not in the config) that this release renders:
 * literals and External Secrets references, each found at `components.<name>.spec...`. A
 * component's own `spec.secrets` is left out (its Secret transformer renders those), and so are
 * references to existing Secrets, which render nothing. A struct with `$secretName`, `$dataKey`
 * and a value or an `externalSecret` is a secret here even without the `$opm` mark, as a TS
 * author may write it by hand.
 */
export function findComponentSecrets(
  components: Readonly<Record<string, { readonly spec: Readonly<Record<string, unknown>> }>>,
): FoundSecret[] {
  const found: FoundSecret[] = [];
  const walk = (value: unknown, path: (string | number)[]): void => {
    const secret = inlineSecret(value);
    if (secret !== undefined) {
      if (secretVariant(secret) !== "k8s") found.push({ path, secret });
      return;
    }
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (typeof value === "object" && value !== null) {
      for (const key of Object.keys(value).sort())
        walk((value as Record<string, unknown>)[key], [...path, key]);
    }
  };
  for (const name of Object.keys(components).sort()) {
    const spec = components[name]!.spec;
    for (const key of Object.keys(spec).sort()) {
      if (key !== "secrets") walk(spec[key], ["components", name, "spec", key]);
    }
  }
  return found;
}

function inlineSecret(value: unknown): SecretValue | undefined {
  if (isSecretValue(value)) return value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const x = value as Record<string, unknown>;
  if (x["$opm"] !== undefined || typeof x["$secretName"] !== "string" || typeof x["$dataKey"] !== "string")
    return undefined;
  if (typeof x["value"] !== "string" && typeof x["externalSecret"] !== "object") return undefined;
  return { $opm: "secret", ...x } as unknown as SecretValue;
}

/** Secrets grouped into the Kubernetes Secrets they make: `$secretName` -> `$dataKey` -> secret. */
export type SecretGroups = Readonly<Record<string, Readonly<Record<string, SecretValue>>>>;

/**
 * Groups secrets by `$secretName` then `$dataKey`. The same secret may be used at several
 * paths; two different secrets under one name and key are an error naming both paths.
 */
export function groupSecrets(found: readonly FoundSecret[]): { groups: SecretGroups; errors: OpmError[] } {
  const groups: Record<string, Record<string, SecretValue>> = {};
  const firstPath = new Map<string, readonly (string | number)[]>();
  const errors: OpmError[] = [];
  for (const { path, secret } of found) {
    const group = (groups[secret.$secretName] ??= {});
    const id = `${secret.$secretName}/${secret.$dataKey}`;
    const existing = group[secret.$dataKey];
    if (existing === undefined) {
      group[secret.$dataKey] = secret;
      firstPath.set(id, path);
    } else if (JSON.stringify(canonicalize(existing)) !== JSON.stringify(canonicalize(secret))) {
      // Names the paths only: the values themselves never reach an error message.
      errors.push(
        new OpmError("ConflictingSecrets", {
          message: `secret ${id} is given twice, differently: at ${formatPath(firstPath.get(id)!)} and at ${formatPath(path)}`,
          hint: "give each field its own $secretName/$dataKey, or the same value in both places",
          details: { secretName: secret.$secretName, dataKey: secret.$dataKey },
        }),
      );
    }
  }
  return { groups, errors };
}

function formatPath(path: readonly (string | number)[]): string {
  return path.length === 0 ? "(root)" : path.map((p) => (typeof p === "number" ? `[${p}]` : p)).join(".");
}
