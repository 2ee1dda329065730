// The client retries what is worth retrying, within its bound: 429 (after Retry-After) and 503
// for any request, other 5xx and connection resets only for requests that cannot apply twice.
// The servers here are fakes of a struggling API server (no real one can be made to answer 429
// or to reset a connection on demand); what they count is how often the client asked.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isOpmError } from "../../../../sdk/errors.ts";
import { ClusterClient } from "../client.ts";

const dir = mkdtempSync(join(tmpdir(), "opm-client-"));
const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

type Handler = (req: IncomingMessage, res: ServerResponse, attempt: number) => void;

async function serve(handler: Handler): Promise<{ url: string; attempts: () => number }> {
  let count = 0;
  const server = createServer((req, res) => {
    count += 1;
    req.resume();
    handler(req, res, count);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, attempts: () => count };
}

function clientFor(url: string, user = "{token: t}", requestTimeoutMs = 10_000): ClusterClient {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.kubeconfig`);
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
current-context: c
clusters: [{name: c, cluster: {server: "${url}"}}]
users: [{name: u, user: ${user}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
`,
  );
  return ClusterClient.fromKubeconfig(
    { paths: [path] },
    { requestTimeoutMs, env: { PATH: process.env["PATH"] } },
  );
}

const ok = (res: ServerResponse) =>
  res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');

async function failure(promise: Promise<unknown>): Promise<{ key: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isOpmError(error)) throw new Error(`expected an OpmError, got ${String(error)}`);
  return { key: error.key, message: error.message };
}

describe("client retries", () => {
  it("waits out a 429's Retry-After, then succeeds", async () => {
    const server = await serve((_req, res, n) =>
      n === 1
        ? res.writeHead(429, { "retry-after": "1" }).end('{"kind":"Status","message":"slow down"}')
        : ok(res),
    );
    const client = clientFor(server.url);
    const started = Date.now();
    expect(await client.json("POST", "/api/v1/namespaces", "creating")).toEqual({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.attempts()).toBe(2);
    client.close();
  });

  it("retries 503 for any method, other 5xx only for idempotent ones", async () => {
    const unavailable = await serve((_req, res, n) => (n <= 2 ? res.writeHead(503).end() : ok(res)));
    const a = clientFor(unavailable.url);
    expect(await a.json("POST", "/api/v1/namespaces", "creating")).toEqual({ ok: true });
    expect(unavailable.attempts()).toBe(3);
    a.close();

    const broken = await serve((_req, res) => res.writeHead(500).end('{"kind":"Status","message":"boom"}'));
    const b = clientFor(broken.url);
    expect(await failure(b.json("POST", "/api/v1/namespaces", "creating"))).toMatchObject({
      key: "ClusterRequestFailed",
    });
    expect(broken.attempts()).toBe(1);
    expect(await failure(b.json("GET", "/api/v1/namespaces", "listing"))).toMatchObject({
      key: "ClusterRequestFailed",
    });
    expect(broken.attempts()).toBe(1 + 4);
    b.close();
  });

  it("retries a reset connection for a GET, but not for a POST the server may have acted on", async () => {
    const resets = await serve((req, res, n) =>
      n === 1 || req.method === "POST" ? req.socket.destroy() : ok(res),
    );
    const client = clientFor(resets.url);
    expect(await client.json("GET", "/api/v1/namespaces", "listing")).toEqual({ ok: true });
    expect(resets.attempts()).toBe(2);
    expect(await failure(client.json("POST", "/api/v1/namespaces", "creating"))).toMatchObject({
      key: "ClusterUnreachable",
    });
    expect(resets.attempts()).toBe(3);
    client.close();
  });

  it("gives up within the request timeout when the server keeps refusing", async () => {
    const busy = await serve((_req, res) => res.writeHead(429, { "retry-after": "5" }).end());
    const client = clientFor(busy.url, "{token: t}", 2_000);
    const started = Date.now();
    const res = await client.raw("GET", "/api/v1/namespaces");
    expect(res.status).toBe(429);
    expect(Date.now() - started).toBeLessThan(2_000);
    client.close();
  });

  it("runs an exec credential plugin, and again once when the server refuses its token", async () => {
    const counter = join(dir, "plugin-runs");
    writeFileSync(counter, "");
    const plugin = join(dir, "plugin.sh");
    writeFileSync(
      plugin,
      `#!/bin/sh\necho run >> ${counter}\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-'$(wc -l < ${counter})'"}}'\n`,
    );
    chmodSync(plugin, 0o755);
    const seen: string[] = [];
    const server = await serve((req, res) => {
      seen.push(req.headers.authorization ?? "");
      if (req.headers.authorization === "Bearer tok-1") res.writeHead(401).end();
      else ok(res);
    });
    const client = clientFor(
      server.url,
      `{exec: {apiVersion: client.authentication.k8s.io/v1, command: "${plugin}"}}`,
    );
    expect(await client.json("GET", "/api", "api")).toEqual({ ok: true });
    expect(seen.map((s) => s.trim())).toEqual(["Bearer tok-1", "Bearer tok-2"]);
    expect(readFileSync(counter, "utf8").trim().split("\n")).toHaveLength(2);
    client.close();
  });

  it("reports a plugin that fails or prints garbage as a coded error", async () => {
    const server = await serve((_req, res) => ok(res));
    const failing = clientFor(
      server.url,
      `{exec: {command: sh, args: ["-c", "echo please log in >&2; exit 3"]}}`,
    );
    expect(await failure(failing.json("GET", "/api", "api"))).toEqual({
      key: "CredentialPluginFailed",
      message: "the credential plugin of context c (sh) exited with code 3: please log in",
    });
    const garbage = clientFor(server.url, `{exec: {command: echo, args: ["not json"]}}`);
    expect((await failure(garbage.json("GET", "/api", "api"))).message).toMatch(
      /^the credential plugin of context c \(echo\) printed no valid ExecCredential: /,
    );
    const missing = clientFor(server.url, `{exec: {command: /no/such/plugin}}`);
    expect((await failure(missing.json("GET", "/api", "api"))).message).toMatch(
      /^the credential plugin of context c \(\/no\/such\/plugin\) cannot be started: .*ENOENT/,
    );
    expect(server.attempts()).toBe(0);
  });
});
