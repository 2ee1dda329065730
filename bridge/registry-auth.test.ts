// Registry auth on the native engine: a TLS registry with basic auth, credentials from a docker
// config.json (as `cue login`/`docker login` leave them) and the CA from SSL_CERT_FILE, all
// passed to the engine through its environment.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Registry, startRegistry } from "../testenv/registry.ts";
import { publishModule } from "./__tests__/publish-module.ts";
import { ensureEngineBuilt, moduleFile, writeTree } from "./__tests__/support.ts";
import { createCueEngine } from "./create.ts";
import { isCueEngineError } from "./errors.ts";

let registry: Registry;
let home: string;
let app: string;

beforeAll(async () => {
  ensureEngineBuilt();
  registry = await startRegistry({ secure: true });
  const auth = registry.auth!;
  await publishModule(
    registry.url,
    {
      modulePath: "example.com/private@v0",
      version: "v0.3.0",
      files: {
        "cue.mod/module.cue": moduleFile("example.com/private@v0"),
        "p.cue": "package private\n\nsecret: 42\n",
      },
    },
    { auth: { username: auth.username, password: auth.password }, caCert: readFileSync(auth.caCert, "utf8") },
  );
  home = mkdtempSync(join(tmpdir(), "opm-auth-home-"));
  app = writeTree({
    "cue.mod/module.cue": moduleFile("example.com/consumer@v0", { "example.com/private@v0": "v0.3.0" }),
    "c.cue": 'package consumer\n\nimport "example.com/private"\n\nanswer: private.secret\n',
  });
});

afterAll(async () => {
  await registry?.stop();
  for (const dir of [home, app]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function environment(withCredentials: boolean): Record<string, string> {
  const caFile = registry.auth!.caCert; // a PEM file path
  const dockerConfig = join(home, withCredentials ? "docker" : "docker-empty");
  const auths = withCredentials
    ? {
        [registry.host]: {
          auth: Buffer.from(`${registry.auth!.username}:${registry.auth!.password}`).toString("base64"),
        },
      }
    : {};
  mkdirSync(dockerConfig, { recursive: true });
  writeFileSync(join(dockerConfig, "config.json"), JSON.stringify({ auths }));
  return {
    HOME: home,
    DOCKER_CONFIG: dockerConfig,
    SSL_CERT_FILE: caFile,
    CUE_CACHE_DIR: join(home, `cache-${withCredentials}`),
  };
}

/**
 * A fetch for the wasm engine's host callback that trusts the test CA (Node's global fetch cannot
 * be given a CA), built on node:https.
 */
function fetchTrusting(caPem: string) {
  return (input: string, init: RequestInit): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const headers = Object.fromEntries(new Headers(init.headers).entries());
      const req = httpsRequest(input, { method: init.method ?? "GET", headers, ca: caPem }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
              responseHeaders.append(name, v);
          }
          const status = res.statusCode ?? 0;
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, headers: responseHeaders }));
        });
      });
      req.on("error", reject);
      req.end(
        init.body === undefined || init.body === null ? undefined : Buffer.from(init.body as Uint8Array),
      );
    });
}

describe("wasm engine and an authenticated TLS registry", () => {
  it("loads a dependency through the host fetch callback with credentials from DOCKER_CONFIG", async () => {
    const env = environment(true);
    const engine = createCueEngine({
      engine: "wasm",
      env: { HOME: env["HOME"]!, DOCKER_CONFIG: env["DOCKER_CONFIG"]! },
      cacheDir: join(home, "wasm-cache"),
      cueRegistry: `${registry.host}+secure`,
      fetch: fetchTrusting(readFileSync(registry.auth!.caCert, "utf8")),
    });
    try {
      const loaded = await engine.load({ dir: app });
      expect(await engine.export(loaded.value)).toEqual({ answer: 42 });
    } finally {
      await engine.close();
    }
  });
});

describe("native engine and an authenticated TLS registry", () => {
  it("loads a dependency with credentials from DOCKER_CONFIG", async () => {
    const engine = createCueEngine({
      engine: "native",
      env: environment(true),
      cueRegistry: `${registry.host}+secure`,
    });
    try {
      const loaded = await engine.load({ dir: app });
      expect(await engine.export(loaded.value)).toEqual({ answer: 42 });
    } finally {
      await engine.close();
    }
  });

  it("without credentials the load fails with the registry's refusal", async () => {
    const engine = createCueEngine({
      engine: "native",
      env: environment(false),
      cueRegistry: `${registry.host}+secure`,
    });
    try {
      const error = await engine.load({ dir: app }).catch((e: unknown) => e);
      expect(isCueEngineError(error, "LoadError")).toBe(true);
      expect((error as Error).message).toMatch(/401|unauthorized|authentication required/i);
    } finally {
      await engine.close();
    }
  });
});
