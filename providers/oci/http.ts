// One registry request: a time limit on every attempt, retries with backoff for transient
// failures (network errors, 429, 502-504), response bodies read under a size limit, and the
// registry's error answer turned into a coded OciError.
import { OciError } from "./errors.ts";
import type { HttpTransport } from "./transport.ts";

/**
 * How a registry request is retried after a transient failure (network errors, 429, 502-504), with
 * exponential backoff; a `Retry-After` is honoured up to `maxDelayMs`.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. @default 3 */
  readonly attempts: number;
  /** Delay before the first retry; doubled each time. @default 200 */
  readonly baseDelayMs: number;
  /** Longest single delay (also caps Retry-After). @default 5000 */
  readonly maxDelayMs: number;
}

/** Three attempts, 200 ms then 400 ms apart, no delay above 5 s. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 200, maxDelayMs: 5000 };

export interface SendInit {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | undefined;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly signal?: AbortSignal | undefined;
}

const TRANSIENT = new Set([429, 502, 503, 504]);

const sleep = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/** Sends with retries; the response body is left unread (read it with readBody). */
export async function sendWithRetry(transport: HttpTransport, init: SendInit): Promise<Response> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= init.retry.attempts; attempt++) {
    const timeout = AbortSignal.timeout(init.timeoutMs);
    const signal = init.signal === undefined ? timeout : AbortSignal.any([timeout, init.signal]);
    try {
      const response = await transport(init.url, {
        method: init.method,
        headers: init.headers,
        body: init.body,
        signal,
      });
      if (!TRANSIENT.has(response.status) || attempt === init.retry.attempts) return response;
      await response.body?.cancel();
      await sleep(delayFor(attempt, init.retry, response.headers.get("retry-after")), init.signal);
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      lastError = error;
      if (attempt === init.retry.attempts) break;
      await sleep(delayFor(attempt, init.retry, null), init.signal);
    }
  }
  const timedOut =
    lastError instanceof Error && (lastError.name === "TimeoutError" || lastError.name === "AbortError");
  const host = new URL(init.url).host;
  throw new OciError("RegistryUnreachable", {
    message: timedOut
      ? `${host} did not answer ${init.method} ${new URL(init.url).pathname} within ${init.timeoutMs} ms (${init.retry.attempts} attempts)`
      : `${host} cannot be reached: ${describeNetworkError(lastError)}`,
    hint: "check the registry address and that it runs; `+insecure` in the registry setting selects plain HTTP",
    cause: lastError,
    details: { host, method: init.method },
  });
}

function delayFor(attempt: number, policy: RetryPolicy, retryAfter: string | null): number {
  const seconds = retryAfter === null ? NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, policy.maxDelayMs);
  return Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: string }).code;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (code === "ECONNREFUSED" || cause?.code === "ECONNREFUSED") return "connection refused";
  if (/certificate|self.signed|UNABLE_TO_VERIFY/i.test(`${code ?? ""} ${error.message}`))
    return `TLS: ${error.message} (trust the registry's CA with --ca-file or OPM_REGISTRY_CA)`;
  return error.message;
}

/** Reads a body, refusing more than maxBytes (by Content-Length up front, then while reading). */
export async function readBody(response: Response, maxBytes: number, what: string): Promise<Buffer> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(what, declared, maxBytes);
  }
  if (response.body === null) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(what, total, maxBytes);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(what: string, size: number, limit: number): OciError {
  return new OciError("SizeLimitExceeded", {
    message: `${what} is larger than the limit (${size} > ${limit} bytes)`,
    hint: "raise the limit only for artefacts you trust",
    details: { size, limit },
  });
}

interface RegistryErrorBody {
  readonly errors?: readonly {
    readonly code?: string;
    readonly message?: string;
    readonly detail?: unknown;
  }[];
}

/** Turns a failed answer into an OciError naming what was asked for. */
export async function errorFromResponse(response: Response, subject: string): Promise<OciError> {
  let text = "";
  try {
    text = (await readBody(response, 64 * 1024, "an error answer")).toString("utf8");
  } catch {
    // an unreadable error body still leaves the status
  }
  let codes: string[] = [];
  let message = text.trim().slice(0, 300);
  try {
    const parsed = JSON.parse(text) as RegistryErrorBody;
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
      codes = parsed.errors.map((e) => e.code ?? "");
      message = parsed.errors.map((e) => e.message ?? e.code ?? "").join("; ");
    }
  } catch {
    // not the distribution spec's JSON error shape
  }
  const details = { status: response.status, codes };
  const status = response.status;
  if (status === 401 || status === 403) {
    return new OciError("RegistryUnauthorized", {
      message: `${subject}: the registry refused access (${status}${message ? `: ${message}` : ""})`,
      hint: "log in with `opm registry login <host>` (credentials are read from Docker's config.json)",
      details,
    });
  }
  if (status === 404) {
    return new OciError("ArtifactNotFound", {
      message: `${subject}: not found${codes.length > 0 ? ` (${codes.join(", ")})` : ""}`,
      hint: "check the repository, tag or version (and the registry it resolves to)",
      details,
    });
  }
  return new OciError("RegistryRequestFailed", {
    message: `${subject}: the registry answered ${status}${message ? `: ${message}` : ""}`,
    details,
  });
}
