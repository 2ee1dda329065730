// The registry auth dance: a request without credentials, a 401 with a `WWW-Authenticate`
// challenge, then either Basic credentials or a bearer token fetched from the challenge's realm
// (with the credentials, or anonymously) for the scope asked for. Tokens are cached per host and
// scope for the client's life.
import type { Credential } from "./credentials.ts";

export interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (the first challenge when several). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (header === null) return undefined;
  const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(header);
  if (match === null) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))\s*,?/g;
  for (let m = re.exec(match[2] ?? ""); m !== null; m = re.exec(match[2] ?? "")) {
    params[m[1]!.toLowerCase()] = (m[2] ?? m[3] ?? "").replace(/\\(.)/g, "$1");
  }
  return { scheme: match[1]!.toLowerCase(), params };
}

export function basicHeader(credential: Credential): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString("base64")}`;
}

/** The token endpoint's URL for a bearer challenge and scopes. */
export function tokenUrl(challenge: Challenge, scopes: readonly string[]): string {
  const realm = challenge.params["realm"];
  if (realm === undefined) throw new Error("a bearer challenge without a realm");
  const url = new URL(realm);
  const service = challenge.params["service"];
  if (service !== undefined) url.searchParams.set("service", service);
  const all = new Set([...(challenge.params["scope"]?.split(" ") ?? []), ...scopes].filter(Boolean));
  for (const scope of [...all].sort()) url.searchParams.append("scope", scope);
  return url.href;
}

/** The token from a token endpoint's answer (`token`, or OAuth2's `access_token`). */
export function tokenFrom(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { token, access_token: accessToken } = body as { token?: unknown; access_token?: unknown };
  if (typeof token === "string" && token !== "") return token;
  if (typeof accessToken === "string" && accessToken !== "") return accessToken;
  return undefined;
}
