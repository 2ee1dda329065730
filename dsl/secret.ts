// `secret()`: the sensitive-data model in a module's zod `#config`, the twin of the catalog's CUE
// `schemas.#Secret & {$secretName: ..., $dataKey: ...}`. The author names the Kubernetes Secret
// the value lands in and its key there; the user gives the value, names an existing Secret and
// key, or names where the External Secrets Operator reads it. Checked values carry `$opm`,
// `$secretName` and `$dataKey` (defaults), exactly as CUE exports them, so the pipeline finds the
// secret in either language and renders the same objects.
import type { SecretValue } from "../sdk/index.ts";
import { z } from "./zod.ts";

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const KEY = /^[-._a-zA-Z0-9]+$/;
const DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

/** What `secret()` needs: where the value lands, and constraints on a literal. */
export interface SecretOptions {
  /** The Kubernetes Secret the value lands in (`$secretName`); fields may share one. */
  readonly name: string;
  /** The key inside that Secret (`$dataKey`). */
  readonly key: string;
  /** Constraints on a literal value (length, pattern); references are not checked. */
  readonly value?: z.ZodString;
}

/**
 * A secret field of `#config`.
 *
 * Example:
 *   const config = z.object({ db: z.object({ password: secret({ name: "db", key: "password", value: z.string().min(12) }) }) });
 *   // values: { db: { password: { value: "..." } } }, or { secretName: "db-creds", remoteKey: "pw" },
 *   // or { externalSecret: { store: "vault", remoteKey: "shop/db", property: "password" } }
 *   // wiring: Container({ env: { DB_PASSWORD: { from: cfg.db.password } } })
 */
export function secret(options: SecretOptions): z.ZodType<SecretValue> {
  if (!NAME.test(options.name))
    throw new Error(`secret(): name ${JSON.stringify(options.name)} is not a Kubernetes name`);
  if (!KEY.test(options.key))
    throw new Error(`secret(): key ${JSON.stringify(options.key)} is not a Secret data key`);
  const base = {
    $opm: z.literal("secret").default("secret"),
    $secretName: z.literal(options.name).default(options.name),
    $dataKey: z.literal(options.key).default(options.key),
    description: z.string().optional(),
  };
  const literal = z.strictObject({ ...base, value: options.value ?? z.string() });
  const k8s = z.strictObject({
    ...base,
    secretName: z.string().regex(NAME),
    remoteKey: z.string().regex(KEY),
  });
  const eso = z.strictObject({
    ...base,
    externalSecret: z.strictObject({
      store: z.string().regex(NAME),
      storeKind: z.enum(["SecretStore", "ClusterSecretStore"]).optional(),
      remoteKey: z.string(),
      property: z.string().optional(),
      refreshInterval: z.string().regex(DURATION).optional(),
    }),
  });
  const id = `${options.name}/${options.key}`;
  return z.union([literal, k8s, eso], {
    error: (issue) => {
      const input = issue.input;
      if (typeof input !== "object" || input === null)
        return `secret ${id}: expected a struct (value, secretName + remoteKey, or externalSecret)`;
      const given = ["value", "secretName", "remoteKey", "externalSecret"].filter((k) => k in input);
      if (given.length === 0) {
        return `secret ${id} is not given: set value, secretName + remoteKey (an existing Secret), or externalSecret`;
      }
      // Explain the variant the user meant, not every alternative; never echo the value.
      const meant = "value" in input ? literal : "externalSecret" in input ? eso : k8s;
      const problems = meant.safeParse(input).error?.issues ?? [];
      const detail = problems
        .map((p) => `${[...p.path].map(String).join(".") || "(secret)"}: ${p.message}`)
        .join("; ");
      return `secret ${id}: ${detail === "" ? "give exactly one of value, secretName + remoteKey, externalSecret" : detail}`;
    },
  }) as unknown as z.ZodType<SecretValue>;
}
