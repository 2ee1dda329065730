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
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : undefined) as T }),
      );
    });
    req.on("error", reject);
    req.end(payload);
  });
}
