import { type RequestOptions, request } from "node:https";
import { KubeConfig } from "@kubernetes/client-node";

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
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`no current cluster in ${kubeconfig}`);
  const options: RequestOptions = { method, headers: {} };
  await kc.applyToHTTPSOptions(options);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  if (payload) options.headers = { ...options.headers, "content-type": contentType };
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, cluster.server), options, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: parseBody(text) as T }));
    });
    // A request the server never answers must not hang a test until its own timeout.
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer to ${method} ${path} in 15s`)));
    req.on("error", reject);
    req.end(payload);
  });
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
