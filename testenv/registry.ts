import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateCertificates } from "./certs.ts";
import { TestEnvError } from "./errors.ts";
import { freePort } from "./ports.ts";
import { type Component, startComponent, waitFor } from "./processes.ts";

export interface Registry {
  /** `127.0.0.1:PORT`, as used in image references and CUE_REGISTRY. */
  host: string;
  /** `http://127.0.0.1:PORT` (or https for the secure one). */
  url: string;
  component: Component;
  /** For the TLS + basic-auth registry: credentials and the CA that signed its certificate. */
  auth?: { username: string; password: string; caCert: string };
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** Storage and config directory; a new temporary one by default. */
  dir?: string;
  /** Serve HTTPS with a throwaway CA and require basic auth. */
  secure?: boolean;
  binary?: string;
}

const DEFAULT_BINARY = "/usr/bin/docker-registry";

/**
 * Starts Debian's docker-registry (distribution 2.8) on a random loopback port with filesystem
 * storage and deletes enabled; plain HTTP by default, or TLS + basic auth with `secure`.
 */
export async function startRegistry(opts: RegistryOptions = {}): Promise<Registry> {
  const binary = opts.binary ?? DEFAULT_BINARY;
  if (!existsSync(binary)) {
    throw new TestEnvError(`the OCI registry is missing (${binary})`, "apt-get install docker-registry");
  }
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "opm-registry-"));
  mkdirSync(join(dir, "storage"), { recursive: true });
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  let auth: Registry["auth"];
  let tls = "";
  let authBlock = "";
  if (opts.secure) {
    const certs = generateCertificates(join(dir, "pki"));
    const username = "opm";
    const password = "opm-test-password";
    const htpasswd = join(dir, "htpasswd");
    writeFileSync(htpasswd, `${username}:${bcrypt(password)}\n`);
    tls = `  tls:\n    certificate: ${certs.servingCert}\n    key: ${certs.servingKey}\n`;
    authBlock = `auth:\n  htpasswd:\n    realm: opm-test\n    path: ${htpasswd}\n`;
    auth = { username, password, caCert: certs.caCert };
  }
  const config = join(dir, "config.yml");
  writeFileSync(
    config,
    `version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: ${join(dir, "storage")}
  delete:
    enabled: true
http:
  addr: ${host}
${tls}${authBlock}`,
  );
  const component = startComponent(`registry-${port}`, binary, ["serve", config], dir);
  const url = `${opts.secure ? "https" : "http"}://${host}`;
  try {
    await waitFor(
      "OCI registry",
      async () => {
        if (opts.secure) return probeTls(port);
        const res = await fetch(`${url}/v2/`);
        return res.status === 200;
      },
      { timeoutMs: 20_000, watch: [component] },
    );
  } catch (err) {
    await component.stop();
    throw err;
  }
  return { host, url, component, ...(auth ? { auth } : {}), stop: () => component.stop() };
}

function probeTls(port: number): Promise<boolean> {
  return import("node:net").then(
    ({ connect }) =>
      new Promise<boolean>((resolve) => {
        const socket = connect(port, "127.0.0.1", () => (socket.end(), resolve(true)));
        socket.on("error", () => resolve(false));
      }),
  );
}

/** bcrypt via htpasswd (apache2-utils), the only hash docker-registry's htpasswd auth accepts. */
function bcrypt(password: string): string {
  try {
    const line = execFileSync("htpasswd", ["-nbB", "x", password], { encoding: "utf8" }).trim();
    return line.slice(line.indexOf(":") + 1);
  } catch {
    throw new TestEnvError(
      "htpasswd is missing for the TLS + basic-auth registry",
      "apt-get install apache2-utils",
    );
  }
}
