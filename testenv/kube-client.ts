import type { RequestOptions } from "node:https";
import { sendRequest } from "./kubeapi.ts";

/** A raw JSON request to the cluster of a kubeconfig, authenticated the way client-node does. */
export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
}

export async function kubeRequest<T = unknown>(
  kubeconfig: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = "application/json",
): Promise<KubeResponse<T>> {
  // Loaded on use: the client costs ~0.45 s to import, and the testenv entry is also loaded by
  // `opm dev cluster`, which never needs it.
  const { KubeConfig } = await import("@kubernetes/client-node");
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`no current cluster in ${kubeconfig}`);
  const options: RequestOptions = { headers: {} };
  await kc.applyToHTTPSOptions(options);
  const res = await sendRequest(new URL(path, cluster.server), options, method, body, contentType);
  return { status: res.status, body: parseBody(res.body) as T };
}

/** JSON when the server sent JSON; the raw text otherwise (e.g. a plain "404 page not found"). */
function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
