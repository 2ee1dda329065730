// API servers that misbehave the ways real networks do, for tests of bounded waits. These are
// fakes of what cannot be had otherwise: no real kube-apiserver can be asked to drop SYNs, stall
// a TLS handshake half way, or send headers and then nothing. Each comes with a kubeconfig.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { createServer as createTlsServer, type Server as TlsServer } from "node:tls";
import { generateCertificates } from "../../testenv/certs.ts";

export interface HostileServer {
  readonly name: string;
  readonly url: string;
  readonly kubeconfig: string;
  close(): Promise<void>;
}

function kubeconfigFor(dir: string, name: string, url: string, ca: Buffer): string {
  const path = join(dir, `${name}.kubeconfig`);
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
current-context: hostile
clusters:
- name: hostile
  cluster: {server: "${url}", certificate-authority-data: ${ca.toString("base64")}}
users:
- name: me
  user: {token: some-token}
contexts:
- name: hostile
  context: {cluster: hostile, user: me, namespace: default}
`,
  );
  return path;
}

const listening = (server: Server | TlsServer): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );

function closing(server: Server | TlsServer, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Drops SYNs: a listening socket whose process never accepts (its event loop is blocked), with
 * its accept queue filled, so the kernel drops every further connection attempt.
 */
async function blackHole(dir: string, ca: Buffer): Promise<HostileServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "-e",
      `const s = require("node:net").createServer();
       s.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
         process.stdout.write(s.address().port + "\\n");
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
       });`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = await new Promise<number>((resolve) =>
    child.stdout!.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  // Fill the accept queue; connections beyond it hang in SYN_SENT, which is the point.
  const fillers: Socket[] = [];
  for (let i = 0; i < 4; i++) fillers.push(connect(port, "127.0.0.1").on("error", () => undefined));
  await new Promise((r) => setTimeout(r, 300));
  const url = `https://127.0.0.1:${port}`;
  return {
    name: "black hole",
    url,
    kubeconfig: kubeconfigFor(dir, "black-hole", url, ca),
    close: async () => {
      for (const f of fillers) f.destroy();
      child.kill("SIGKILL");
    },
  };
}

/**
 * A real TLS server behind a proxy that forwards only the first TLS record of the server's
 * handshake flight (the ServerHello) and withholds the rest: the handshake starts, never ends.
 */
async function tlsStall(dir: string, ca: Buffer, key: Buffer, cert: Buffer): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const tls = createTlsServer({ key, cert }, (s) => sockets.add(s));
  const tlsPort = await listening(tls);
  const proxy = createServer((client) => {
    sockets.add(client);
    const upstream = connect(tlsPort, "127.0.0.1");
    sockets.add(upstream);
    let forwarded = false;
    client.on("data", (d: Buffer) => upstream.write(d));
    upstream.on("data", (d: Buffer) => {
      if (forwarded) return;
      forwarded = true;
      const recordLength = 5 + d.readUInt16BE(3);
      client.write(d.subarray(0, Math.min(recordLength, d.length)));
    });
    client.on("error", () => undefined);
    upstream.on("error", () => undefined);
  });
  const port = await listening(proxy);
  const url = `https://127.0.0.1:${port}`;
  return {
    name: "TLS stall",
    url,
    kubeconfig: kubeconfigFor(dir, "tls-stall", url, ca),
    close: async () => {
      await closing(proxy, sockets);
      await closing(tls, sockets);
    },
  };
}

/** Completes TLS, answers every request with status and headers, then sends one byte and stalls. */
async function headersThenStall(dir: string, ca: Buffer, key: Buffer, cert: Buffer): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const server = createTlsServer({ key, cert }, (socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.once("data", () =>
      socket.write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 4096\r\n\r\n{"),
    );
  });
  const port = await listening(server);
  const url = `https://127.0.0.1:${port}`;
  return {
    name: "headers then stall",
    url,
    kubeconfig: kubeconfigFor(dir, "headers-stall", url, ca),
    close: () => closing(server, sockets),
  };
}

export async function startHostileServers(dir: string): Promise<HostileServer[]> {
  const certs = generateCertificates(join(dir, "certs"));
  const ca = readFileSync(certs.caCert);
  const key = readFileSync(certs.servingKey);
  const cert = readFileSync(certs.servingCert);
  return [
    await blackHole(dir, ca),
    await tlsStall(dir, ca, key, cert),
    await headersThenStall(dir, ca, key, cert),
  ];
}
