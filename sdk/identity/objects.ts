// The identity of a Kubernetes object, the one definition every layer uses: the render orders
// objects by it, and the cluster side keys live objects, inventory entries and prune candidates
// by it. The API version is carried but is no part of identity: an API migration
// (`extensions/v1beta1` to `apps/v1`) is the same object.

/** Where an object lives on a cluster; `namespace` is "" for cluster-scoped kinds. */
export interface ObjectRef {
  /** Carried for requests and messages; no part of the identity (see {@link objectKey}). */
  readonly apiVersion: string;
  /** The kind, e.g. `Deployment`. */
  readonly kind: string;
  /** The namespace, or "" for a cluster-scoped kind. */
  readonly namespace: string;
  /** `metadata.name`. */
  readonly name: string;
}

/** `apps/v1` → `apps`; `v1` → `` (the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/** `apps/v1` → `v1`; `v1` → `v1`. */
export function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}

/** `group/kind/namespace/name`: the key of an object's identity (the version never takes part). */
export function objectKey(ref: ObjectRef): string {
  return `${groupOf(ref.apiVersion)}/${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** The identity of a plain object; missing metadata becomes "" (it fails validation elsewhere). */
export function refOf(object: {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: unknown; readonly namespace?: unknown } | undefined;
}): ObjectRef {
  const meta = object.metadata ?? {};
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: typeof meta.namespace === "string" ? meta.namespace : "",
    name: typeof meta.name === "string" ? meta.name : "",
  };
}

/** `Deployment web in namespace shop`: how messages name an object. */
export function describeObject(ref: ObjectRef): string {
  return ref.namespace === ""
    ? `${ref.kind} ${ref.name}`
    : `${ref.kind} ${ref.name} in namespace ${ref.namespace}`;
}
