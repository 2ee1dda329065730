// A small Kubernetes client: raw JSON requests over one keep-alive agent, authenticated from the
// kubeconfig, plus discovery. We send our own requests instead of client-node's typed APIs
// because its serializer drops unknown fields of custom resources (docs/architecture.md, "Cluster side"); the
// object we rendered is the object we send.
//
// Every call is bounded (kubectl's --request-timeout): the TCP connection and TLS handshake
// within the connect timeout, the whole call, retries included, within the request timeout.
// A timeout names the server and what it waited for. Retryable failures are retried with
// backoff while time is left: 429 and 503 (the server did not act on the request, Retry-After
// is honoured), other 5xx and connection resets for idempotent requests only.
import { Agent, request, type AgentOptions, type RequestOptions } from "node:https";
import { request as plainRequest, Agent as PlainAgent, type ClientRequest } from "node:http";
import type { Socket } from "node:net";
import { createSecureContext } from "node:tls";
import { OpmError } from "../../../sdk/errors.ts";
import { Discovery } from "./discovery.ts";
import { runExecPlugin, type ExecCredential } from "./exec-credential.ts";
import { errorFromStatus, timedOut, unreachable, type Waited } from "./http-errors.ts";
import { loadKubeconfig, type KubeconfigSource, type LoadedKubeconfig } from "./kubeconfig.ts";

/** An API server's answer: the HTTP status and the parsed JSON body. */
export interface KubeResponse<T = unknown> {
  /** The HTTP status code. */
  readonly status: number;
  /** The parsed JSON body (a Kubernetes `Status` for most errors). */
  readonly body: T;
}

export interface RequestInit {
  readonly body?: unknown;
  readonly contentType?: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
}

/** How a ClusterClient bounds and authenticates its requests; every field has a default. */
export interface ClientOptions {
  /** The most requests in flight at once; default 16. */
  readonly maxSockets?: number;
  /** Each call, retries included, ends within this (`--request-timeout`); default 30 s. */
  readonly requestTimeoutMs?: number;
  /** TCP connect plus TLS handshake; default 10 s (never more than the request timeout). */
  readonly connectTimeoutMs?: number;
  /** Retries of a retryable failure; default 3. */
  readonly retries?: number;
  /** The environment credential plugins inherit (the CLI passes its own); default none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Act as this user (`Impersonate-User`), e.g. `system:serviceaccount:<namespace>:<name>`. */
  readonly impersonate?: string;
}

/** The most requests in flight at once; the API server shares two cores with everything else. */
const DEFAULT_MAX_SOCKETS = 16;
/**
 * How long one API call may take, retries included, unless `--request-timeout` says otherwise: 30
 * s.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 3;
const BACKOFF_BASE_MS = 200;
const BACKOFF_MAX_MS = 2_000;
const RETRY_AFTER_MAX_MS = 10_000;
/** Methods a retry cannot apply twice (server-side apply is a PATCH and idempotent). */
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "PATCH"]);
const RETRYABLE_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN"]);

/** A request that got no answer; `beforeSend`: nothing reached the server, any method may retry. */
class TransportFailure extends Error {
  readonly beforeSend: boolean;
  constructor(cause: unknown, beforeSend: boolean) {
    super("transport failure", { cause });
    this.beforeSend = beforeSend;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A connection to one cluster (one kubeconfig context). Create it once per command and pass it
 * to every operation: discovery results are cached on it.
 */
export class ClusterClient {
  /** The kubeconfig context the client talks to. */
  readonly context: string;
  /** The API server's URL, without a trailing slash. */
  readonly server: string;
  /** The context's namespace, if it names one. */
  readonly contextNamespace: string | undefined;
  /** The cluster's API groups and resources, looked up once and cached for the client's life. */
  readonly discovery: Discovery;
  /** The bound of one call, retries included, in milliseconds. */
  readonly requestTimeoutMs: number;
  private options: RequestOptions | undefined;
  private execCredential: ExecCredential | undefined;
  private readonly kubeconfig: LoadedKubeconfig;
  private readonly settings: Required<Omit<ClientOptions, "env" | "impersonate">> & {
    readonly env: Readonly<Record<string, string | undefined>>;
  };
  /** Headers every request carries besides the credentials (impersonation). */
  private readonly extraHeaders: Readonly<Record<string, string>>;

  private constructor(loaded: LoadedKubeconfig, options: ClientOptions) {
    this.kubeconfig = loaded;
    this.context = loaded.context;
    this.server = loaded.server.replace(/\/+$/, "");
    this.contextNamespace = loaded.namespace;
    const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.requestTimeoutMs = requestTimeoutMs;
    this.settings = {
      maxSockets: options.maxSockets ?? DEFAULT_MAX_SOCKETS,
      requestTimeoutMs,
      connectTimeoutMs: Math.min(options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, requestTimeoutMs),
      retries: options.retries ?? DEFAULT_RETRIES,
      env: options.env ?? {},
    };
    this.extraHeaders = options.impersonate === undefined ? {} : { "impersonate-user": options.impersonate };
    this.discovery = new Discovery(this);
  }

  /**
   * A client for the same cluster and credentials that acts as `user` (Kubernetes impersonation:
   * the server checks that these credentials may impersonate, then authorizes as `user`).
   */
  impersonating(user: string): ClusterClient {
    return new ClusterClient(this.kubeconfig, { ...this.settings, impersonate: user });
  }

  /**
   * A client for the context `source` selects, from kubeconfig files merged as kubectl does.
   *
   * @throws OpmError OPM6013 when no file is usable or the context does not exist.
   */
  static fromKubeconfig(source: KubeconfigSource, options: ClientOptions = {}): ClusterClient {
    return ClusterClient.fromLoaded(loadKubeconfig(source), options);
  }

  /** For a caller that already parsed the kubeconfig (the CLI resolves its target once). */
  static fromLoaded(loaded: LoadedKubeconfig, options: ClientOptions = {}): ClusterClient {
    return new ClusterClient(loaded, options);
  }

  /** Ends idle keep-alive sockets so a process can exit promptly. */
  close(): void {
    const agent = this.options?.agent;
    if (agent instanceof Agent || agent instanceof PlainAgent) agent.destroy();
  }

  private async credentialOptions(refresh: boolean, deadline: number): Promise<RequestOptions> {
    const creds = this.kubeconfig.credentials;
    const opts: RequestOptions = { headers: {} };
    if (creds.exec !== undefined) {
      const expired =
        this.execCredential?.expiresAt !== undefined && this.execCredential.expiresAt <= Date.now();
      if (this.execCredential === undefined || refresh || expired) {
        this.execCredential = await runExecPlugin(creds.exec, {
          timeoutMs: Math.max(1, deadline - Date.now()),
          env: this.settings.env,
          cluster: { server: this.server },
          context: this.context,
        });
      }
      const got = this.execCredential;
      if (got.token !== undefined) opts.headers = { authorization: `Bearer ${got.token}` };
      if (got.cert !== undefined) opts.cert = got.cert;
      if (got.key !== undefined) opts.key = got.key;
    } else if (creds.plugin) {
      // Legacy auth-provider plugins (oidc...): client-node knows them (imported only here).
      const { KubeConfig } = await import("@kubernetes/client-node");
      const kc = new KubeConfig();
      kc.loadFromString(this.kubeconfig.mergedYaml);
      await kc.applyToHTTPSOptions(opts);
    }
    if (creds.ca !== undefined) opts.ca = creds.ca;
    if (creds.cert !== undefined) opts.cert ??= creds.cert;
    if (creds.key !== undefined) opts.key ??= creds.key;
    if (creds.token !== undefined) opts.headers = { authorization: `Bearer ${creds.token}` };
    if (creds.basic !== undefined) opts.auth = creds.basic;
    if (creds.insecureSkipTlsVerify) opts.rejectUnauthorized = false;
    if (creds.tlsServerName !== undefined) opts.servername = creds.tlsServerName;
    return opts;
  }

  private async requestOptions(refresh: boolean, deadline: number): Promise<RequestOptions> {
    if (this.options !== undefined && !refresh && !this.credentialExpired()) return this.options;
    const opts = await this.credentialOptions(refresh, deadline);
    // One keep-alive agent with the TLS material, reused by every request of this client.
    const tls: AgentOptions = {
      keepAlive: true,
      maxSockets: this.settings.maxSockets,
      ...(opts.ca === undefined ? {} : { ca: opts.ca }),
      ...(opts.cert === undefined ? {} : { cert: opts.cert }),
      ...(opts.key === undefined ? {} : { key: opts.key }),
      ...(opts.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: opts.rejectUnauthorized }),
      ...(opts.servername === undefined ? {} : { servername: opts.servername }),
    };
    if (!this.server.startsWith("http:")) this.checkTls(tls);
    const old = this.options?.agent;
    if (old instanceof Agent || old instanceof PlainAgent) old.destroy();
    opts.agent = this.server.startsWith("http:")
      ? new PlainAgent({ keepAlive: true, maxSockets: this.settings.maxSockets })
      : new Agent(tls);
    this.options = opts;
    return opts;
  }

  /** Certificates and keys that are not PEM would otherwise fail inside the first request. */
  private checkTls(tls: AgentOptions): void {
    try {
      createSecureContext({ ca: tls.ca, cert: tls.cert, key: tls.key });
    } catch (cause) {
      throw new OpmError("KubeconfigUnusable", {
        message: `the TLS certificates or key for ${this.server} cannot be used: ${(cause as Error).message}`,
        hint: "check the kubeconfig's certificate-authority, client-certificate and client-key data (PEM)",
        cause,
      });
    }
  }

  private credentialExpired(): boolean {
    const expiresAt = this.execCredential?.expiresAt;
    return expiresAt !== undefined && expiresAt <= Date.now();
  }

  /**
   * One call; answers with the status and parsed JSON body. Never throws on an HTTP status;
   * throws ClusterTimeout or ClusterUnreachable when no answer came.
   */
  async raw<T = unknown>(method: string, path: string, init: RequestInit = {}): Promise<KubeResponse<T>> {
    const deadline = Date.now() + this.settings.requestTimeoutMs;
    let refreshed = false;
    let refreshNext = false;
    for (let attempt = 0; ; attempt++) {
      const left = attempt < this.settings.retries;
      let res: KubeResponse<T> & { retryAfterMs?: number };
      try {
        res = await this.send<T>(method, path, init, refreshNext, deadline);
        refreshNext = false;
      } catch (error) {
        if (!(error instanceof TransportFailure)) throw error;
        const code = (error.cause as NodeJS.ErrnoException).code ?? "";
        const retryable = RETRYABLE_CODES.has(code) && (error.beforeSend || IDEMPOTENT.has(method));
        const wait = backoff(attempt);
        if (!retryable || !left || Date.now() + wait >= deadline) throw unreachable(this.server, error.cause);
        await sleep(wait);
        continue;
      }
      // An exec/token credential may have expired: fetch it again, once.
      if (res.status === 401 && !refreshed && this.kubeconfig.credentials.plugin) {
        refreshed = true;
        refreshNext = true;
        continue;
      }
      const retryableStatus =
        res.status === 429 ||
        res.status === 503 ||
        ([500, 502, 504].includes(res.status) && IDEMPOTENT.has(method));
      if (!retryableStatus || !left) return res;
      const wait = res.retryAfterMs ?? backoff(attempt);
      if (Date.now() + wait >= deadline) return res;
      await sleep(wait);
    }
  }

  private async send<T>(
    method: string,
    path: string,
    init: RequestInit,
    refresh: boolean,
    deadline: number,
  ): Promise<KubeResponse<T> & { retryAfterMs?: number }> {
    const base = await this.requestOptions(refresh, deadline);
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(init.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
    const headers: Record<string, string> = {
      ...(base.headers as Record<string, string>),
      ...this.extraHeaders,
      accept: "application/json",
    };
    if (payload !== undefined) {
      headers["content-type"] = init.contentType ?? "application/json";
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    const send = url.protocol === "http:" ? plainRequest : request;
    const secure = url.protocol !== "http:";
    const call = `${method} ${path}`;
    return new Promise((resolve, reject) => {
      let waited: Waited = "connection";
      let settled = false;
      const timers: NodeJS.Timeout[] = [];
      const done = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        outcome();
      };
      const fail = (limitMs: number) => {
        const error = timedOut(this.server, waited, limitMs, call);
        done(() => reject(error));
        req.destroy(error);
      };
      const req: ClientRequest = send(url, { ...base, method, headers }, (res) => {
        waited = "body";
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          done(() => {
            const text = Buffer.concat(chunks).toString("utf8");
            let body: unknown = undefined;
            if (text !== "") {
              try {
                body = JSON.parse(text);
              } catch {
                body = text;
              }
            }
            const retryAfter = retryAfterMs(res.headers["retry-after"]);
            resolve({
              status: res.statusCode ?? 0,
              body: body as T,
              ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
            });
          }),
        );
        res.on("error", (cause) => done(() => reject(new TransportFailure(cause, false))));
      });
      timers.push(setTimeout(() => fail(this.settings.requestTimeoutMs), Math.max(0, deadline - Date.now())));
      req.on("socket", (socket: Socket) => {
        const connected = () => (waited = secure ? "handshake" : "headers");
        const ready = () => (waited = "headers");
        if (!socket.connecting) {
          waited = "headers"; // a kept-alive socket
          return;
        }
        const connectLimit = this.settings.connectTimeoutMs;
        timers.push(
          setTimeout(
            () => {
              if (waited === "connection" || waited === "handshake") fail(connectLimit);
            },
            Math.min(connectLimit, Math.max(0, deadline - Date.now())),
          ),
        );
        socket.once("connect", connected);
        if (secure) socket.once("secureConnect", ready);
      });
      req.on("error", (cause) =>
        done(() => reject(new TransportFailure(cause, waited === "connection" || waited === "handshake"))),
      );
      req.end(payload);
    });
  }

  /**
   * A watch: a GET whose body is a stream of JSON lines (`?watch=1`), each handed to `onEvent` as
   * it arrives. Ends when the server closes the stream (its `timeoutSeconds`), on `signal`, or
   * with a ClusterTimeout when nothing (not even a bookmark) arrives for `idleTimeoutMs`; a
   * non-2xx answer ends it with that status and body, like `raw`.
   */
  async watch(
    path: string,
    query: Readonly<Record<string, string | undefined>>,
    onEvent: (event: unknown) => void,
    options: { readonly idleTimeoutMs: number; readonly signal?: AbortSignal },
  ): Promise<KubeResponse<unknown>> {
    const base = await this.requestOptions(false, Date.now() + this.settings.requestTimeoutMs);
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries({ ...query, watch: "1" }))
      if (v !== undefined) url.searchParams.set(k, v);
    const send = url.protocol === "http:" ? plainRequest : request;
    const headers = {
      ...(base.headers as Record<string, string>),
      ...this.extraHeaders,
      accept: "application/json",
    };
    return new Promise((resolve, reject) => {
      let idle: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(idle);
        options.signal?.removeEventListener("abort", onAbort);
        outcome();
      };
      const onAbort = () => {
        finish(() => resolve({ status: 499, body: undefined }));
        req.destroy();
      };
      const arm = () => {
        clearTimeout(idle);
        idle = setTimeout(() => {
          const error = timedOut(this.server, "body", options.idleTimeoutMs, `WATCH ${path}`);
          finish(() => reject(error));
          req.destroy(error);
        }, options.idleTimeoutMs);
      };
      const req = send(url, { ...base, method: "GET", headers }, (res) => {
        const status = res.statusCode ?? 0;
        let pending = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          arm();
          pending += chunk;
          if (status < 200 || status >= 300) return;
          let newline: number;
          while ((newline = pending.indexOf("\n")) >= 0) {
            const line = pending.slice(0, newline).trim();
            pending = pending.slice(newline + 1);
            if (line === "") continue;
            let event: unknown;
            try {
              event = JSON.parse(line);
            } catch (cause) {
              finish(() => reject(unreachable(this.server, cause)));
              req.destroy();
              return;
            }
            onEvent(event);
          }
        });
        res.on("end", () =>
          finish(() => {
            if (status >= 200 && status < 300) return resolve({ status, body: undefined });
            let body: unknown = pending;
            try {
              body = JSON.parse(pending);
            } catch {
              // not JSON: the text is the body
            }
            resolve({ status, body });
          }),
        );
        res.on("error", (cause) => finish(() => reject(unreachable(this.server, cause))));
      });
      req.on("error", (cause) => finish(() => reject(unreachable(this.server, cause))));
      if (options.signal?.aborted === true) return onAbort();
      options.signal?.addEventListener("abort", onAbort);
      arm();
      req.end();
    });
  }

  /** A request that must succeed (2xx); anything else becomes a typed OpmError about `subject`. */
  async json<T = unknown>(method: string, path: string, subject: string, init: RequestInit = {}): Promise<T> {
    const res = await this.raw<T>(method, path, init);
    if (res.status >= 200 && res.status < 300) return res.body;
    throw this.failure(res, subject);
  }

  /**
   * The OpmError for a failed answer about `subject`: OPM6002 forbidden, OPM6003 not found, a field
   * conflict, a rejected object or OPM6012 otherwise, with the server's message and causes.
   */
  failure(res: KubeResponse<unknown>, subject: string): OpmError {
    return errorFromStatus(res.status, res.body, subject);
  }
}

/** Full-jitter exponential backoff: up to 200 ms, 400 ms, 800 ms... capped at 2 s. */
function backoff(attempt: number): number {
  return Math.round(Math.random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt)) + 50;
}

/** `Retry-After` in seconds or as an HTTP date, capped; undefined when absent or unreadable. */
function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === "") return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(RETRY_AFTER_MAX_MS, Math.max(0, ms));
}
