import { readFileSync } from "node:fs";
import { type RequestOptions, request } from "node:https";

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

/**
 * One JSON-bodied HTTPS request with the given TLS/auth options; the answer's text comes back
 * as is. A server that never answers fails the request after `timeoutMs` instead of hanging.
 */
export function sendRequest(
  url: URL,
  options: RequestOptions,
  method: string,
  body?: unknown,
  contentType = "application/json",
  timeoutMs = 15_000,
): Promise<ApiResponse> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = payload
    ? { ...options.headers, "content-type": contentType, "content-length": Buffer.byteLength(payload) }
    : options.headers;
  return new Promise((resolve, reject) => {
    const req = request(url, { ...options, method, headers }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`no answer to ${method} ${url.pathname} in ${timeoutMs / 1000}s`)),
    );
    req.on("error", reject);
    req.end(payload);
  });
}

export function apiRequest(
  creds: AdminCredentials,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiResponse> {
  const tls = {
    ca: readFileSync(creds.caCert),
    cert: readFileSync(creds.clientCert),
    key: readFileSync(creds.clientKey),
  };
  return sendRequest(new URL(path, creds.server), tls, method, body, "application/json", 5_000);
}
