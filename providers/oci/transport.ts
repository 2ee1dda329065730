// How the client speaks HTTP: a fetch-shaped function. The default one is built on node:http(s)
// rather than the global fetch because Node 20's fetch cannot be given a CA per request, and
// registries on loopback with a private CA (or `+insecure` plain HTTP) are ordinary here. Anything
// fetch-compatible (the global fetch, a browser's) can be injected instead.
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { rootCertificates } from "node:tls";

/** One HTTP request as the client hands it to a transport. */
export interface TransportInit {
  /** The HTTP method. */
  readonly method: string;
  /** Request headers, `authorization` included; a transport drops it on a redirect to another host. */
  readonly headers: Readonly<Record<string, string>>;
  /** The request body, if any. */
  readonly body?: Uint8Array | undefined;
  /** Fires when the attempt's time limit passes; the transport must abort the request. */
  readonly signal: AbortSignal;
}

/** A fetch-compatible request function; redirects must be followed by the transport. */
export type HttpTransport = (url: string, init: TransportInit) => Promise<Response>;

/** How the default transport trusts HTTPS registries and follows redirects. */
export interface NodeTransportOptions {
  /** PEM certificates trusted for HTTPS registries, besides the system's. */
  readonly ca?: string | readonly string[];
  /** At most this many redirects (blob downloads often redirect to storage). @default 5 */
  readonly maxRedirects?: number;
}

/** A transport over node:http and node:https that trusts `ca` and follows redirects. */
export function nodeTransport(options: NodeTransportOptions = {}): HttpTransport {
  const ca =
    options.ca === undefined ? undefined : [...(typeof options.ca === "string" ? [options.ca] : options.ca)];
  const maxRedirects = options.maxRedirects ?? 5;
  const send = (url: string, init: TransportInit, hops: number): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === "https:";
      const headers: Record<string, string> = { ...init.headers };
      if (init.body !== undefined) headers["content-length"] = String(init.body.byteLength);
      const req = (secure ? httpsRequest : httpRequest)(
        target,
        {
          method: init.method,
          headers,
          signal: init.signal,
          ...(secure && ca !== undefined ? { ca: [...defaultCaList(), ...ca] } : {}),
        },
        (res: IncomingMessage) => {
          const status = res.statusCode ?? 0;
          const location = res.headers.location;
          if (status >= 300 && status < 400 && status !== 304 && location !== undefined) {
            res.resume();
            if (hops >= maxRedirects) {
              reject(new Error(`too many redirects from ${url}`));
              return;
            }
            const next = new URL(location, target);
            // A redirect to another host must not carry this registry's credentials.
            const nextHeaders = { ...init.headers };
            if (next.host !== target.host) delete (nextHeaders as Record<string, string>)["authorization"];
            const method = status === 303 ? "GET" : init.method;
            send(next.href, { ...init, method, headers: nextHeaders }, hops + 1).then(resolve, reject);
            return;
          }
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
          }
          const empty = init.method === "HEAD" || status === 204 || status === 304;
          const body = empty ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>);
          if (empty) res.resume();
          resolve(new Response(body, { status, headers: responseHeaders }));
        },
      );
      req.on("error", reject);
      req.end(init.body === undefined ? undefined : Buffer.from(init.body));
    });
  return (url, init) => send(url, init, 0);
}

/** Passing `ca` replaces Node's bundled roots, so they are added back. */
function defaultCaList(): readonly string[] {
  return rootCertificates;
}
