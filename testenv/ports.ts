import { createServer } from "node:net";
import { TestEnvError } from "./errors.ts";

/** Asks the kernel for a free loopback port. Another process may still take it before we bind. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Fails clearly when a port we were told to use is already taken. */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", () =>
      reject(
        new TestEnvError(`port ${port} on 127.0.0.1 is already in use`, "stop what listens there, or retry"),
      ),
    );
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}
