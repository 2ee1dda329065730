// How a release tells other releases in its namespace what it provides: one ConfigMap,
// `<release>-opm-provides`, rendered with the release like everything else (so it is in the
// inventory, pruned and deleted with it) from a component made of the catalog's ConfigMaps
// resource (named by FQN: sdk imports no catalog), as the config's Secrets are. Each key
// `<component>.<local>` holds `{interface, value}` as JSON, `host` included. Secret values never
// go in: a secret becomes a reference to the Secret that holds it (its emitted name and key),
// which a consumer in the same namespace reads through a secretKeyRef. The CLI lists these
// ConfigMaps (by label) and hands them to render as external provisions.
import { brand } from "../ir/brand.ts";
import type { Component } from "../ir/component.ts";
import type { ResourceDef } from "../ir/definitions.ts";
import type { NamingMode } from "../ir/module.ts";
import { LabelKeys } from "../identity/labels.ts";
import { isSecretValue, secretKeyOf, type SecretValue } from "../values/secrets.ts";
import { canonicalize } from "./canonical.ts";
import type { ExternalProvision } from "./interfaces.ts";

/** The name of the component that publishes the release's provisions; modules cannot use it. */
export const PROVIDES_COMPONENT = "opm-provides";

/** The label that marks a release's provisions ConfigMap, for other releases to find. */
export const PROVIDES_LABEL = "interfaces.opmodel.dev/provides";

const configMapsResource: ResourceDef = brand("Resource", {
  kind: "Resource",
  metadata: {
    apiVersion: "opmodel.dev/resources/config@v0",
    name: "config-maps",
    fqn: "opmodel.dev/resources/config@v0#ConfigMaps",
    description: "ConfigMaps owned by the component, keyed by name.",
  },
  specKey: "configMaps",
});

export interface PublishedProvision {
  readonly component: string;
  readonly local: string;
  readonly interface: string;
  /** The wired value (`host` included), possibly with secret values. */
  readonly value: Readonly<Record<string, unknown>>;
}

/** A secret as the Secret and key that hold it, without its value. */
function secretReference(secret: SecretValue, prefix: string): SecretValue {
  const at = secretKeyOf(secret);
  return {
    $opm: "secret",
    $secretName: secret.$secretName,
    $dataKey: secret.$dataKey,
    secretName: at.rendered ? `${prefix}${at.name}` : at.name,
    remoteKey: at.key,
  };
}

function withoutSecretValues(value: unknown, prefix: string): unknown {
  if (isSecretValue(value)) return secretReference(value, prefix);
  if (Array.isArray(value)) return value.map((v) => withoutSecretValues(v, prefix));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutSecretValues(v, prefix)]));
  return value;
}

/** The component publishing `provisions`, or none when the release provides nothing. */
export function provisionsComponent(
  provisions: readonly PublishedProvision[],
  release: { readonly name: string; readonly naming: NamingMode },
): Component | undefined {
  if (provisions.length === 0) return undefined;
  const prefixed = release.naming === "release-prefixed";
  const prefix = prefixed ? `${release.name}-` : "";
  const data: Record<string, string> = {};
  for (const p of provisions) {
    // Canonical key order: the same bytes whether the module is TS or CUE.
    data[`${p.component}.${p.local}`] = JSON.stringify(
      canonicalize({ interface: p.interface, value: withoutSecretValues(p.value, prefix) }),
    );
  }
  // Named `<release>-opm-provides` whichever the naming: two releases never claim one ConfigMap.
  const key = prefixed ? PROVIDES_COMPONENT : `${release.name}-${PROVIDES_COMPONENT}`;
  return brand("Component", {
    kind: "Component" as const,
    metadata: { name: PROVIDES_COMPONENT, labels: { [PROVIDES_LABEL]: "true" }, annotations: {} },
    resources: { [configMapsResource.metadata.fqn]: configMapsResource },
    traits: {},
    blueprints: {},
    spec: { configMaps: { [key]: { data } } },
  });
}

/** A ConfigMap as the cluster returns it; only what is read here. */
export interface ProvisionsConfigMap {
  /** Its labels name the publishing release (`module-release.opmodel.dev/name`). */
  readonly metadata?: { readonly labels?: Readonly<Record<string, string>> };
  /** `<component>.<local>`: `{interface, value}` as JSON. */
  readonly data?: Readonly<Record<string, string>>;
}

/**
 * The provisions published in the given ConfigMaps (those labelled {@link PROVIDES_LABEL}),
 * leaving out the release `except` (the one being rendered) and entries that do not parse.
 */
export function provisionsFromConfigMaps(
  configMaps: readonly ProvisionsConfigMap[],
  except: string,
): ExternalProvision[] {
  const out: ExternalProvision[] = [];
  for (const cm of configMaps) {
    const release = cm.metadata?.labels?.[LabelKeys.releaseName];
    if (release === undefined || release === except) continue;
    for (const key of Object.keys(cm.data ?? {}).sort()) {
      const dot = key.indexOf(".");
      if (dot <= 0) continue;
      let entry: unknown;
      try {
        entry = JSON.parse(cm.data![key]!);
      } catch {
        continue;
      }
      if (typeof entry !== "object" || entry === null) continue;
      const { interface: fqn, value } = entry as { interface?: unknown; value?: unknown };
      if (typeof fqn !== "string" || typeof value !== "object" || value === null) continue;
      out.push({
        release,
        component: key.slice(0, dot),
        local: key.slice(dot + 1),
        interface: fqn,
        value: value as Record<string, unknown>,
      });
    }
  }
  return out.sort((a, b) =>
    `${a.release}/${a.component}/${a.local}` < `${b.release}/${b.component}/${b.local}` ? -1 : 1,
  );
}
