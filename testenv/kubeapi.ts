import { readFileSync } from "node:fs";
import { request } from "node:https";

/** Just enough of an HTTPS client to bootstrap the control plane (readiness, fake nodes). */
export interface AdminCredentials {
  server: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
}

export interface ApiResponse {
  status: number;
  body: string;
}

export function apiRequest(
  creds: AdminCredentials,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiResponse> {
  const url = new URL(path, creds.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: readFileSync(creds.caCert),
        cert: readFileSync(creds.clientCert),
        key: readFileSync(creds.clientKey),
        headers: payload
          ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }
          : {},
        timeout: 5_000,
      },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timeout on ${method} ${path}`)));
    req.on("error", reject);
    req.end(payload);
  });
}
