// Discovery: which resource (plural) serves a kind in a group/version, and whether it is
// namespaced. One request per group/version, cached on the client; a miss refreshes once, because
// a CRD applied a moment ago adds kinds the cache has not seen.
import { OpmError } from "../../../sdk/errors.ts";
import type { ClusterClient } from "./client.ts";

export interface ApiResource {
  readonly apiVersion: string;
  readonly kind: string;
  /** The plural used in URLs, e.g. `deployments`. */
  readonly plural: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

interface ApiResourceList {
  readonly resources?: readonly {
    readonly name: string;
    readonly kind: string;
    readonly namespaced: boolean;
    readonly verbs?: readonly string[];
  }[];
}

export function apiPrefix(apiVersion: string): string {
  return apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

export class Discovery {
  private readonly byGroupVersion = new Map<string, Promise<Map<string, ApiResource> | undefined>>();

  private readonly client: ClusterClient;

  constructor(client: ClusterClient) {
    this.client = client;
  }

  private load(apiVersion: string): Promise<Map<string, ApiResource> | undefined> {
    let pending = this.byGroupVersion.get(apiVersion);
    if (pending === undefined) {
      pending = this.fetch(apiVersion);
      this.byGroupVersion.set(apiVersion, pending);
      // A failed lookup is not cached: the next call asks again.
      pending.catch(() => this.byGroupVersion.delete(apiVersion));
    }
    return pending;
  }

  private async fetch(apiVersion: string): Promise<Map<string, ApiResource> | undefined> {
    const res = await this.client.raw<ApiResourceList>("GET", apiPrefix(apiVersion));
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw this.client.failure(res, `discovery of ${apiVersion}`);
    const out = new Map<string, ApiResource>();
    for (const r of res.body.resources ?? []) {
      if (r.name.includes("/")) continue; // subresources such as deployments/status
      out.set(r.kind, {
        apiVersion,
        kind: r.kind,
        plural: r.name,
        namespaced: r.namespaced,
        verbs: r.verbs ?? [],
      });
    }
    return out;
  }

  /** The resource for a kind, or undefined when the cluster does not serve it (yet). */
  async find(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const cached = await this.load(apiVersion);
    const hit = cached?.get(kind);
    if (hit !== undefined) return hit;
    this.byGroupVersion.delete(apiVersion);
    return (await this.load(apiVersion))?.get(kind);
  }

  /** Like `find`, but a kind the cluster does not serve is an error that says so. */
  async resolve(apiVersion: string, kind: string): Promise<ApiResource> {
    const found = await this.find(apiVersion, kind);
    if (found !== undefined) return found;
    throw new OpmError("ClusterNotFound", {
      message: `the cluster does not serve ${kind} in ${apiVersion}`,
      hint: "install the CustomResourceDefinition (or API) that provides it, or check the apiVersion",
      details: { apiVersion, kind },
    });
  }
}
