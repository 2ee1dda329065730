// Exec credential plugins (client.authentication.k8s.io): the kubeconfig names a program that
// prints an ExecCredential with a token or a client certificate. We run it ourselves, bounded in
// time (a plugin that hangs ends in a coded error, and its process is killed), instead of through
// client-node, which waits forever. The environment is the caller's (the CLI passes its own);
// the library reads no process environment.
import { spawn } from "node:child_process";
import { OpmError } from "../../../sdk/errors.ts";

/** The `user.exec` stanza of a kubeconfig. */
export interface ExecConfig {
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: readonly { readonly name: string; readonly value: string }[];
  readonly apiVersion?: string;
  readonly interactiveMode?: "Never" | "IfAvailable" | "Always";
  readonly provideClusterInfo?: boolean;
}

export interface ExecCredential {
  readonly token?: string;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** When the credential must be fetched again; undefined: until the server refuses it. */
  readonly expiresAt?: number;
}

export interface ExecOptions {
  readonly timeoutMs: number;
  /** The environment the plugin inherits, before the kubeconfig's own `env` entries. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cluster?: { readonly server: string };
  /** Names the kubeconfig context in messages. */
  readonly context: string;
}

const DEFAULT_API_VERSION = "client.authentication.k8s.io/v1";

function failed(context: string, what: string, hint: string, cause?: unknown): OpmError {
  return new OpmError("CredentialPluginFailed", {
    message: `the credential plugin of context ${context} ${what}`,
    hint,
    cause,
    details: { context },
  });
}

export function parseExecConfig(value: unknown): ExecConfig | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const exec = value as Record<string, unknown>;
  if (typeof exec["command"] !== "string" || exec["command"] === "") return undefined;
  return exec as unknown as ExecConfig;
}

export function runExecPlugin(exec: ExecConfig, options: ExecOptions): Promise<ExecCredential> {
  const apiVersion = exec.apiVersion ?? DEFAULT_API_VERSION;
  if (exec.interactiveMode === "Always") {
    return Promise.reject(
      failed(
        options.context,
        `(${exec.command}) needs an interactive terminal (interactiveMode: Always)`,
        "log in once with kubectl on a terminal so the plugin caches a credential, or use a non-interactive plugin",
      ),
    );
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
  for (const e of exec.env ?? []) env[e.name] = e.value;
  env["KUBERNETES_EXEC_INFO"] = JSON.stringify({
    apiVersion,
    kind: "ExecCredential",
    spec: {
      interactive: false,
      ...(exec.provideClusterInfo === true && options.cluster !== undefined
        ? { cluster: options.cluster }
        : {}),
    },
  });
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    let settled = false;
    const child = spawn(exec.command, [...(exec.args ?? [])], { env, stdio: ["ignore", "pipe", "pipe"] });
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish(() =>
        reject(
          failed(
            options.context,
            `(${exec.command}) did not finish within ${Math.round(options.timeoutMs / 1000)}s`,
            "run the plugin by hand to see what it waits for; raise --request-timeout if it is only slow",
          ),
        ),
      );
    }, options.timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", (error) =>
      finish(() =>
        reject(
          failed(
            options.context,
            `(${exec.command}) cannot be started: ${error.message}`,
            "install the plugin or fix `users[].user.exec.command` in the kubeconfig",
            error,
          ),
        ),
      ),
    );
    child.on("close", (code) =>
      finish(() => {
        if (code !== 0) {
          const said = stderr.trim().split("\n")[0] ?? "";
          reject(
            failed(
              options.context,
              `(${exec.command}) exited with code ${String(code)}${said === "" ? "" : `: ${said}`}`,
              "run the plugin by hand to see why it fails (often: log in again)",
            ),
          );
          return;
        }
        try {
          resolve(credentialOf(stdout));
        } catch (error) {
          reject(
            failed(
              options.context,
              `(${exec.command}) printed no valid ExecCredential: ${(error as Error).message}`,
              "the plugin must print a client.authentication.k8s.io ExecCredential as JSON on stdout",
              error,
            ),
          );
        }
      }),
    );
  });
}

function credentialOf(stdout: string): ExecCredential {
  const parsed = JSON.parse(stdout) as { kind?: unknown; status?: Record<string, unknown> };
  if (parsed.kind !== "ExecCredential" || typeof parsed.status !== "object" || parsed.status === null)
    throw new Error("expected kind ExecCredential with a status");
  const status = parsed.status;
  const token = typeof status["token"] === "string" && status["token"] !== "" ? status["token"] : undefined;
  const cert =
    typeof status["clientCertificateData"] === "string" ? status["clientCertificateData"] : undefined;
  const key = typeof status["clientKeyData"] === "string" ? status["clientKeyData"] : undefined;
  if (token === undefined && (cert === undefined || key === undefined))
    throw new Error("the status has neither a token nor a client certificate and key");
  const expires =
    typeof status["expirationTimestamp"] === "string"
      ? Date.parse(status["expirationTimestamp"])
      : Number.NaN;
  return {
    ...(token === undefined ? {} : { token }),
    ...(cert === undefined ? {} : { cert: Buffer.from(cert) }),
    ...(key === undefined ? {} : { key: Buffer.from(key) }),
    ...(Number.isNaN(expires) ? {} : { expiresAt: expires }),
  };
}
