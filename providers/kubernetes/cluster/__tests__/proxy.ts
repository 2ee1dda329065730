// A TCP proxy in front of the test control plane's API server, for tests that need a slow or
// briefly unreachable network between one client and the real server: it can delay every chunk
// it forwards, or cut every connection for a while. TLS passes through untouched (the serving
// certificate names 127.0.0.1, which the proxy listens on too). A fake of the network, not of
// the server: what cannot be had otherwise is a slow link on loopback.
import { readFileSync, writeFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { join } from "node:path";
import { parse, stringify } from "yaml";

export interface ApiProxy {
  /** A kubeconfig like the original, pointing at the proxy. */
  readonly kubeconfig: string;
  /** Milliseconds each forwarded chunk waits, in both directions. */
  delayMs: number;
  /** Ends every open connection and refuses new ones until `restore()`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startApiProxy(kubeconfig: string, dir: string): Promise<ApiProxy> {
  const config = parse(readFileSync(kubeconfig, "utf8")) as {
    clusters: { cluster: { server: string } }[];
  };
  const target = new URL(config.clusters[0]!.cluster.server);
  const sockets = new Set<Socket>();
  let cut = false;
  const state = { delayMs: 0 };
  const forward = (from: Socket, to: Socket) => {
    // Chunks keep their order: each waits for the one before it.
    let chain = Promise.resolve();
    from.on("data", (chunk: Buffer) => {
      chain = chain
        .then(() => (state.delayMs > 0 ? new Promise((r) => setTimeout(r, state.delayMs)) : undefined))
        .then(() => {
          if (!to.destroyed) to.write(chunk);
        });
    });
    from.on("end", () => void chain.then(() => to.end()));
    from.on("error", () => to.destroy());
  };
  const server = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    client.on("close", () => sockets.delete(client));
    upstream.on("close", () => sockets.delete(upstream));
    forward(client, upstream);
    forward(upstream, client);
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );
  config.clusters[0]!.cluster.server = `https://127.0.0.1:${port}`;
  const path = join(dir, `proxy-${port}.kubeconfig`);
  writeFileSync(path, stringify(config));
  return {
    kubeconfig: path,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      cut = false;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
