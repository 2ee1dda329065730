// Registry credentials from Docker's config.json, the file `docker login`, `cue login`-era tools,
// oras and helm all read: `auths.<host>.auth` (base64 user:password) or identitytoken,
// `credHelpers.<host>` and `credsStore` (a `docker-credential-<name>` program speaking JSON on
// stdin/stdout). Helpers run with a time limit and their failures carry a code.
import { spawn } from "node:child_process";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { OciError } from "./errors.ts";

/**
 * What a registry is given to authenticate: a user name and password (or token), used for basic
 * auth or the bearer token flow as the registry asks.
 */
export interface Credential {
  /** The user name; empty with an identity token. */
  readonly username: string;
  /** The password or access token (secret material). */
  readonly password: string;
  /** An OAuth2 refresh token (docker's identitytoken); used for the token flow instead of basic. */
  readonly identityToken?: string;
}

/** Where credentials come from; the client asks once per host. */
export interface CredentialStore {
  /**
   * The credential for a registry host (`ghcr.io`, `127.0.0.1:5000`), or undefined for anonymous
   * access.
   */
  get(host: string): Promise<Credential | undefined>;
}

/** Where Docker's config.json is and how long its credential helpers may run. */
export interface DockerConfigOptions {
  /** The environment to read DOCKER_CONFIG and HOME from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Longest a credential helper may run. @default 10000 */
  readonly helperTimeoutMs?: number;
}

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
  [other: string]: unknown;
}

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(env: Readonly<Record<string, string | undefined>>): string {
  const dir = env["DOCKER_CONFIG"] ?? join(env["HOME"] ?? homedir(), ".docker");
  return join(dir, "config.json");
}

async function readConfig(path: string): Promise<DockerConfigFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? (parsed as DockerConfigFile) : {};
  } catch (error) {
    throw new OciError("RegistryUnauthorized", {
      message: `${path} is not valid JSON: ${(error as Error).message}`,
      hint: "fix or remove the file, then log in again with `opm registry login`",
      location: { file: path },
    });
  }
}

/** The keys a host may be stored under: `host`, `https://host`, `http://host`, with or without /v1/. */
function keysFor(host: string): string[] {
  return [host, `https://${host}`, `http://${host}`, `https://${host}/v1/`, `https://${host}/v2/`];
}

/** Credentials from Docker's config.json and its helpers. */
export function dockerCredentials(options: DockerConfigOptions): CredentialStore {
  const path = dockerConfigPath(options.env);
  const timeoutMs = options.helperTimeoutMs ?? 10_000;
  return {
    async get(host) {
      const config = await readConfig(path);
      // Docker's order: the host's helper, else the global store, else the inline entry.
      const helper = config.credHelpers?.[host] ?? config.credsStore;
      if (helper !== undefined) {
        const fromHelper = await runHelper(helper, host, timeoutMs, options.env);
        if (fromHelper !== undefined) return fromHelper;
      }
      for (const key of keysFor(host)) {
        const entry = config.auths?.[key];
        if (entry === undefined) continue;
        if (entry.auth !== undefined && entry.auth !== "") {
          const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
          const colon = decoded.indexOf(":");
          if (colon < 0) continue;
          return withToken(decoded.slice(0, colon), decoded.slice(colon + 1), entry.identitytoken);
        }
        if (entry.username !== undefined && entry.password !== undefined)
          return withToken(entry.username, entry.password, entry.identitytoken);
        if (entry.identitytoken !== undefined) return withToken("", "", entry.identitytoken);
      }
      return undefined;
    },
  };
}

function withToken(username: string, password: string, token: string | undefined): Credential {
  return token === undefined || token === ""
    ? { username, password }
    : { username, password, identityToken: token };
}

/** Runs `docker-credential-<helper> <verb>`; resolves to its stdout. */
function helperCall(
  helper: string,
  verb: "get" | "store" | "erase",
  input: string,
  timeoutMs: number,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = `docker-credential-${helper}`;
  return new Promise((resolve, reject) => {
    // Its own process group, so a helper that hangs is killed with whatever it started.
    const child = spawn(program, [verb], {
      stdio: ["pipe", "pipe", "pipe"],
      env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
      reject(
        new OciError("CredentialHelperFailed", {
          message: `the credential helper ${program} did not answer within ${timeoutMs} ms`,
          hint: "check that the helper does not wait for input (a locked keychain, a prompt)",
          details: { helper: program },
        }),
      );
    }, timeoutMs);
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", (error) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      reject(
        new OciError("CredentialHelperFailed", {
          message: `the credential helper ${program} cannot be run: ${error.message}`,
          hint: `install ${program} or remove it from credHelpers/credsStore in the docker config`,
          details: { helper: program },
        }),
      );
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      resolve({ code: code ?? 1, stdout, stderr });
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });
}

async function runHelper(
  helper: string,
  host: string,
  timeoutMs: number,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Credential | undefined> {
  const { code, stdout, stderr } = await helperCall(helper, "get", host, timeoutMs, env);
  if (code !== 0) {
    // Helpers answer "credentials not found in native keychain" for unknown hosts.
    if (/not found/i.test(stdout + stderr)) return undefined;
    throw new OciError("CredentialHelperFailed", {
      message: `docker-credential-${helper} get failed for ${host}: ${(stderr || stdout).trim()}`,
      hint: "log in again, or check the helper's own configuration",
      details: { helper: `docker-credential-${helper}` },
    });
  }
  let parsed: { Username?: string; Secret?: string };
  try {
    parsed = JSON.parse(stdout) as { Username?: string; Secret?: string };
  } catch {
    throw new OciError("CredentialHelperFailed", {
      message: `docker-credential-${helper} answered something that is not JSON`,
      details: { helper: `docker-credential-${helper}` },
    });
  }
  const username = parsed.Username ?? "";
  const secret = parsed.Secret ?? "";
  // Docker's convention: the user name <token> marks an identity token.
  if (username === "<token>") return { username: "", password: "", identityToken: secret };
  return { username, password: secret };
}

/** What `opm registry login` stores for a host. */
export interface LoginRecord {
  /** The registry host, the key it is stored under. */
  readonly host: string;
  /** The user name at the registry. */
  readonly username: string;
  /** The password or token. Secret: stored only in the helper or the owner-only config.json. */
  readonly password: string;
}

/**
 * Stores credentials where Docker would: through the host's helper or credsStore when one is set,
 * else inline in config.json (written atomically, mode 0600, other keys kept).
 */
export async function storeDockerCredential(
  options: DockerConfigOptions,
  login: LoginRecord,
): Promise<{ readonly path: string; readonly helper?: string }> {
  const path = dockerConfigPath(options.env);
  const config = await readConfig(path);
  const helper = config.credHelpers?.[login.host] ?? config.credsStore;
  const timeoutMs = options.helperTimeoutMs ?? 10_000;
  if (helper !== undefined) {
    const input = JSON.stringify({ ServerURL: login.host, Username: login.username, Secret: login.password });
    const result = await helperCall(helper, "store", input, timeoutMs, options.env);
    if (result.code !== 0)
      throw new OciError("CredentialHelperFailed", {
        message: `docker-credential-${helper} store failed: ${(result.stderr || result.stdout).trim()}`,
      });
    return { path, helper: `docker-credential-${helper}` };
  }
  const auths = { ...(config.auths ?? {}) };
  auths[login.host] = { auth: Buffer.from(`${login.username}:${login.password}`).toString("base64") };
  await writeConfig(path, { ...config, auths });
  return { path };
}

/** Removes a host's credentials; resolves to false when none were stored. */
export async function eraseDockerCredential(options: DockerConfigOptions, host: string): Promise<boolean> {
  const path = dockerConfigPath(options.env);
  const config = await readConfig(path);
  const helper = config.credHelpers?.[host] ?? config.credsStore;
  let erased = false;
  if (helper !== undefined) {
    const result = await helperCall(helper, "erase", host, options.helperTimeoutMs ?? 10_000, options.env);
    erased = result.code === 0;
  }
  const auths = { ...(config.auths ?? {}) };
  for (const key of keysFor(host)) {
    if (auths[key] !== undefined) {
      delete auths[key];
      erased = true;
    }
  }
  if (config.auths !== undefined) await writeConfig(path, { ...config, auths });
  return erased;
}

async function writeConfig(path: string, config: DockerConfigFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(config, null, "\t")}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

/** Credentials given directly (flags, tests), tried before any other store. */
export function staticCredentials(
  entries: Readonly<Record<string, Credential>>,
  fallback?: CredentialStore,
): CredentialStore {
  return {
    async get(host) {
      return entries[host] ?? (await fallback?.get(host));
    },
  };
}
