// A small Kubernetes client: raw JSON requests over one keep-alive agent, authenticated from the
// kubeconfig (client-node's `applyToHTTPSOptions` only for exec/auth-provider plugins), plus
// discovery. We send our own requests
// instead of client-node's typed APIs because its serializer drops unknown fields of custom
// resources (toolchain notes §4); the object we rendered is the object we send.
import { Agent, request, type AgentOptions, type RequestOptions } from "node:https";
import { request as plainRequest, Agent as PlainAgent } from "node:http";
import type { OpmError } from "../../../sdk/errors.ts";
import { Discovery } from "./discovery.ts";
import { errorFromStatus, unreachable } from "./http-errors.ts";
import { loadKubeconfig, type KubeconfigSource, type LoadedKubeconfig } from "./kubeconfig.ts";

export interface KubeResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

export interface RequestInit {
  readonly body?: unknown;
  readonly contentType?: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
}

/** The most requests in flight at once; the API server shares two cores with everything else. */
const DEFAULT_MAX_SOCKETS = 16;

/**
 * A connection to one cluster (one kubeconfig context). Create it once per command and pass it
 * to every operation: discovery results are cached on it.
 */
export class ClusterClient {
  readonly context: string;
  readonly server: string;
  /** The context's namespace, if it names one. */
  readonly contextNamespace: string | undefined;
  readonly discovery: Discovery;
  private options: RequestOptions | undefined;
  private readonly kubeconfig: LoadedKubeconfig;
  private readonly maxSockets: number;

  private constructor(loaded: LoadedKubeconfig, maxSockets: number) {
    this.kubeconfig = loaded;
    this.context = loaded.context;
    this.server = loaded.server.replace(/\/+$/, "");
    this.contextNamespace = loaded.namespace;
    this.maxSockets = maxSockets;
    this.discovery = new Discovery(this);
  }

  static fromKubeconfig(source: KubeconfigSource, options: { maxSockets?: number } = {}): ClusterClient {
    return new ClusterClient(loadKubeconfig(source), options.maxSockets ?? DEFAULT_MAX_SOCKETS);
  }

  /** Ends idle keep-alive sockets so a process can exit promptly. */
  close(): void {
    const agent = this.options?.agent;
    if (agent instanceof Agent || agent instanceof PlainAgent) agent.destroy();
  }

  private async requestOptions(refresh = false): Promise<RequestOptions> {
    if (this.options !== undefined && !refresh) return this.options;
    const creds = this.kubeconfig.credentials;
    const opts: RequestOptions = { headers: {} };
    if (creds.plugin) {
      // exec / auth-provider credentials: let client-node run the plugin (imported only here).
      const { KubeConfig } = await import("@kubernetes/client-node");
      const kc = new KubeConfig();
      kc.loadFromString(this.kubeconfig.mergedYaml);
      await kc.applyToHTTPSOptions(opts);
    } else {
      if (creds.ca !== undefined) opts.ca = creds.ca;
      if (creds.cert !== undefined) opts.cert = creds.cert;
      if (creds.key !== undefined) opts.key = creds.key;
      if (creds.token !== undefined) opts.headers = { authorization: `Bearer ${creds.token}` };
      if (creds.basic !== undefined) opts.auth = creds.basic;
    }
    if (creds.insecureSkipTlsVerify) opts.rejectUnauthorized = false;
    if (creds.tlsServerName !== undefined) opts.servername = creds.tlsServerName;
    // One keep-alive agent with the TLS material, reused by every request of this client.
    const tls: AgentOptions = {
      keepAlive: true,
      maxSockets: this.maxSockets,
      ...(opts.ca === undefined ? {} : { ca: opts.ca }),
      ...(opts.cert === undefined ? {} : { cert: opts.cert }),
      ...(opts.key === undefined ? {} : { key: opts.key }),
      ...(opts.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: opts.rejectUnauthorized }),
      ...(opts.servername === undefined ? {} : { servername: opts.servername }),
    };
    const old = this.options?.agent;
    if (old instanceof Agent || old instanceof PlainAgent) old.destroy();
    opts.agent = this.server.startsWith("http:")
      ? new PlainAgent({ keepAlive: true, maxSockets: this.maxSockets })
      : new Agent(tls);
    this.options = opts;
    return opts;
  }

  /** One request; answers with the status and parsed JSON body (never throws on HTTP errors). */
  async raw<T = unknown>(method: string, path: string, init: RequestInit = {}): Promise<KubeResponse<T>> {
    const first = await this.send<T>(method, path, init, false);
    // An exec/token credential may have expired: refresh once.
    if (first.status === 401) return this.send<T>(method, path, init, true);
    return first;
  }

  private async send<T>(
    method: string,
    path: string,
    init: RequestInit,
    refresh: boolean,
  ): Promise<KubeResponse<T>> {
    const base = await this.requestOptions(refresh);
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(init.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
    const headers: Record<string, string> = {
      ...(base.headers as Record<string, string>),
      accept: "application/json",
    };
    if (payload !== undefined) {
      headers["content-type"] = init.contentType ?? "application/json";
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    const send = url.protocol === "http:" ? plainRequest : request;
    return new Promise((resolve, reject) => {
      const req = send(url, { ...base, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: unknown = undefined;
          if (text !== "") {
            try {
              body = JSON.parse(text);
            } catch {
              body = text;
            }
          }
          resolve({ status: res.statusCode ?? 0, body: body as T });
        });
        res.on("error", (cause) => reject(unreachable(this.server, cause)));
      });
      req.on("error", (cause) => reject(unreachable(this.server, cause)));
      req.end(payload);
    });
  }

  /** A request that must succeed (2xx); anything else becomes a typed OpmError about `subject`. */
  async json<T = unknown>(method: string, path: string, subject: string, init: RequestInit = {}): Promise<T> {
    const res = await this.raw<T>(method, path, init);
    if (res.status >= 200 && res.status < 300) return res.body;
    throw this.failure(res, subject);
  }

  failure(res: KubeResponse<unknown>, subject: string): OpmError {
    return errorFromStatus(res.status, res.body, subject);
  }
}
