// The ModuleRelease custom resource: its spec and status as zod schemas, the one source of truth.
// The CRD's openAPIV3Schema is generated from these (crd.ts), the controller parses what it reads
// with them, and the TypeScript types are inferred from them, so the three cannot drift apart.
import { z } from "zod";

/** The API group of the controller's resources. */
export const GROUP = "opmodel.dev";
/** The one version served and stored. */
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = "ModuleRelease";
export const PLURAL = "modulereleases";
/** Set on every ModuleRelease the controller manages; removed once its objects are cleaned up. */
export const FINALIZER = `${GROUP}/cleanup`;
/** The server-side apply field manager of everything the controller writes. */
export const FIELD_MANAGER = "opm-controller";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Go-style durations the CLI also reads (`30s`, `5m`, `1h30m`). */
const DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
/** `<module path>@<version>`: a CUE module path (a domain first) and a SemVer version. */
const MODULE_REF = /^[a-z0-9.-]+\.[a-z]+(\/[A-Za-z0-9._~-]+)*@v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]*)?$/;

const name = (what: string) => z.string().min(1).max(253).regex(DNS_SUBDOMAIN).describe(what);
const label = (what: string) => z.string().min(1).max(63).regex(DNS_LABEL).describe(what);
const timestamp = (what: string) => z.string().meta({ format: "date-time" }).describe(what);
/** Any JSON the module's `#config` validates; the API server keeps it as given. */
const freeForm = (what: string) =>
  z.record(z.string(), z.unknown()).meta({ "x-kubernetes-preserve-unknown-fields": true }).describe(what);

const SecretKeyRef = z
  .object({
    name: name("the Secret, in the ModuleRelease's namespace"),
    key: z.string().min(1).max(253).describe("the key in the Secret's data"),
    optional: z.boolean().optional().describe("leave the value unset when the Secret or key is missing"),
  })
  .strict();

const ValueFrom = z
  .object({
    path: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .describe(
        "where the value goes in the values, in --set syntax, e.g. db.password or hosts[0].key; without it the key holds a values document (YAML or JSON) layered over spec.values",
      ),
    secretKeyRef: SecretKeyRef.describe(
      "the Secret key whose content becomes the value (a string), or the values document",
    ),
  })
  .strict();

const ModuleSource = z
  .object({
    ref: z
      .string()
      .max(512)
      .regex(MODULE_REF)
      .optional()
      .describe("a published module, `<module path>@<version>`, pulled through the controller's registries"),
    inline: z
      .object({
        files: z
          .record(z.string().min(1).max(253), z.string())
          .describe(
            "the module's files by relative path: a CUE module (cue.mod/module.cue and its .cue files) or one *.opm.ts file",
          ),
      })
      .strict()
      .optional()
      .describe("the module's source, carried in the resource (small modules, tests)"),
  })
  .strict()
  .refine((m) => (m.ref === undefined) !== (m.inline === undefined), "give exactly one of ref and inline")
  .meta({
    "x-kubernetes-validations": [
      { rule: "has(self.ref) != has(self.inline)", message: "give exactly one of ref and inline" },
    ],
  })
  .describe("where the module comes from: exactly one of ref and inline");

const DependsOn = z
  .object({
    name: name("the other ModuleRelease"),
    namespace: label("its namespace; default this one").optional(),
  })
  .strict();

const KubeConfigRef = z
  .object({
    secretRef: z
      .object({
        name: name("the Secret, in the ModuleRelease's namespace"),
        key: z
          .string()
          .min(1)
          .max(253)
          .default("value")
          .describe("the key holding the kubeconfig (YAML); default value, as Flux's kubeConfig.secretRef"),
      })
      .strict(),
  })
  .strict();

const Target = z
  .object({
    name: label("the target's name, unique in the list; status reports each target by it"),
    kubeConfig: KubeConfigRef.optional().describe(
      "the cluster: a kubeconfig in a Secret (inline credentials only: no exec plugin, no file paths); absent: the controller's own cluster",
    ),
    targetNamespace: label(
      "the namespace the module's objects go to on this cluster; default spec.targetNamespace",
    ).optional(),
    values: freeForm(
      "values for this cluster only, layered over values and valuesFrom (no secrets)",
    ).optional(),
  })
  .strict();

export const ModuleReleaseSpec = z
  .object({
    module: ModuleSource,
    values: freeForm("the release's values (no secrets: use valuesFrom)").optional(),
    valuesFrom: z
      .array(ValueFrom)
      .max(64)
      .optional()
      .describe("values read from Secrets at each reconcile; later entries win, and all win over values"),
    targetNamespace: label(
      "the namespace the module's objects go to; default the ModuleRelease's",
    ).optional(),
    releaseName: label("the release's name; default the ModuleRelease's name").optional(),
    naming: z
      .enum(["component", "release-prefixed"])
      .optional()
      .describe(
        "how object names are formed: component (the component's name) or release-prefixed (<release>-<component>, as opm mod apply --release-prefix); default the module's metadata.naming",
      ),
    provider: label(
      "the provider that renders the module, as opm mod apply --provider; default the controller's (OPM_PROVIDER, its config, else kubernetes)",
    ).optional(),
    interval: z
      .string()
      .regex(DURATION)
      .default("10m")
      .describe("how often the release is rendered again and drift corrected, e.g. 5m"),
    timeout: z
      .string()
      .regex(DURATION)
      .default("5m")
      .describe("how long one reconcile waits for the objects to become healthy"),
    suspend: z.boolean().default(false).describe("stop reconciling (nothing applied, pruned or deleted)"),
    prune: z
      .boolean()
      .default(true)
      .describe("delete objects the release no longer renders, and all of them when the resource is deleted"),
    serviceAccountName: label("the ServiceAccount the controller acts as for apply and prune").optional(),
    dependsOn: z
      .array(DependsOn)
      .max(32)
      .optional()
      .describe("ModuleReleases that must be Ready before this one is applied"),
    targets: z
      .array(Target)
      .min(1)
      .max(32)
      .refine((list) => new Set(list.map((t) => t.name)).size === list.length, "target names must be unique")
      .meta({ "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"] })
      .optional()
      .describe(
        "the clusters the release goes to, each with its own values; default the controller's own cluster only",
      ),
  })
  .strict();

const Condition = z
  .object({
    type: z.enum(["Ready", "Reconciling", "Stalled", "Drifted"]).describe("the condition"),
    status: z.enum(["True", "False", "Unknown"]),
    reason: z.string().max(1024).describe("a CamelCase word for programs"),
    message: z.string().max(32768).describe("what happened, for people"),
    lastTransitionTime: timestamp("when the status last changed"),
    observedGeneration: z.number().int().min(0).optional(),
  })
  .strict();

const Attempt = z
  .object({
    at: timestamp("when"),
    sourceDigest: z.string().optional().describe("the module's digest (a registry module's manifest)"),
    valuesDigest: z.string().optional().describe("the digest of the merged values"),
    renderDigest: z.string().optional().describe("the digest of the rendered objects"),
    changeId: z.string().optional().describe("the inventory's change record"),
  })
  .strict();

const InventoryEntry = z
  .object({
    group: z.string(),
    kind: z.string(),
    namespace: z.string().optional(),
    name: z.string(),
    component: z.string().optional(),
  })
  .strict();

const HistoryEntry = z
  .object({
    at: timestamp("when the reconcile ended"),
    action: z.enum(["apply", "drift-correction", "prune", "delete"]).describe("what the reconcile did"),
    result: z.enum(["Succeeded", "Failed"]),
    renderDigest: z.string().optional(),
    message: z.string().max(2048).optional(),
  })
  .strict();

const TargetStatus = z
  .object({
    name: z.string().describe("the target"),
    ready: z.enum(["True", "False", "Unknown"]).describe("whether the release is applied and healthy there"),
    reason: z.string().max(1024).describe("a CamelCase word, as in the conditions"),
    message: z.string().max(4096).describe("what happened there"),
    namespace: z.string().optional().describe("the namespace the objects went to"),
    kubeConfig: KubeConfigRef.optional().describe(
      "the kubeconfig used, to clean up when the target is removed",
    ),
    changeId: z.string().optional().describe("the change the cluster's inventory is at"),
    renderDigest: z.string().optional().describe("the digest of the objects applied there"),
    lastAppliedAt: timestamp("when an apply there last succeeded").optional(),
    inventory: z
      .object({ count: z.number().int().min(0), digest: z.string().optional() })
      .strict()
      .optional()
      .describe("what the release owns on that cluster"),
  })
  .strict();

export const ModuleReleaseStatus = z
  .object({
    observedGeneration: z.number().int().min(0).optional(),
    conditions: z.array(Condition).max(8).optional(),
    lastAttempted: Attempt.optional().describe("the last reconcile that rendered"),
    lastApplied: Attempt.optional().describe("the last reconcile whose apply succeeded"),
    inventory: z
      .object({
        count: z.number().int().min(0),
        digest: z.string().optional(),
        entries: z
          .array(InventoryEntry)
          .max(100)
          .optional()
          .describe("the first 100 objects, in apply order"),
      })
      .strict()
      .optional()
      .describe("what the release owns on the cluster"),
    history: z
      .array(HistoryEntry)
      .max(10)
      .optional()
      .describe("the last reconciles that changed something, newest first"),
    failures: z
      .object({
        reconcile: z.number().int().min(0),
        drift: z.number().int().min(0),
      })
      .strict()
      .optional()
      .describe("failed reconciles and corrected drifts since the resource was created"),
    nextReconcileAt: timestamp("when the controller reconciles next").optional(),
    targets: z
      .array(TargetStatus)
      .max(32)
      .optional()
      .describe("with spec.targets: the release on each cluster"),
  })
  .strict();

/** The spec as a user writes it (defaults optional). */
export type ModuleReleaseSpecInput = z.input<typeof ModuleReleaseSpec>;
/** The spec with its defaults filled in. */
export type ModuleReleaseSpec = z.output<typeof ModuleReleaseSpec>;
export type ModuleReleaseStatus = z.output<typeof ModuleReleaseStatus>;
export type Condition = z.output<typeof Condition>;
export type ConditionType = Condition["type"];
export type HistoryEntry = z.output<typeof HistoryEntry>;
export type Target = z.output<typeof Target>;
export type TargetStatus = z.output<typeof TargetStatus>;

/** The longest history kept in status. */
export const MAX_HISTORY = 10;
/** The most inventory entries listed in status. */
export const MAX_STATUS_ENTRIES = 100;

/** A ModuleRelease as read from the API server. */
export interface ModuleRelease {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly uid: string;
    readonly generation?: number;
    readonly resourceVersion?: string;
    readonly deletionTimestamp?: string;
    readonly finalizers?: readonly string[];
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec: unknown;
  readonly status?: ModuleReleaseStatus;
}
