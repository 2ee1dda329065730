// Publishes a CUE module to an OCI registry in CUE's own layout (as `cue mod publish` does):
// repository = module path without the major version, tag = version, config media type
// application/vnd.cue.module.v1+json holding `{}`, layers = the module zip, then module.cue.
import { createHash } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { zipStored } from "./zip.ts";

export interface PublishOptions {
  /** Basic-auth credentials for a registry that requires them. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** PEM of the CA that signed an HTTPS registry's certificate. */
  readonly caCert?: string;
}

interface Reply {
  readonly status: number;
  readonly location: string | undefined;
  readonly body: string;
}

export interface ModuleToPublish {
  /** e.g. `example.com/lib@v0` */
  readonly modulePath: string;
  /** e.g. `v0.1.0` */
  readonly version: string;
  /** Files relative to the module root; must include `cue.mod/module.cue`. */
  readonly files: Readonly<Record<string, string>>;
}

const digestOf = (data: Buffer): string => `sha256:${createHash("sha256").update(data).digest("hex")}`;

export async function publishModule(
  registryUrl: string,
  module: ModuleToPublish,
  options: PublishOptions = {},
): Promise<string> {
  const send = (method: string, url: string, body: Buffer | undefined, contentType?: string) =>
    sendRequest(method, new URL(url, registryUrl), body, contentType, options);
  const moduleFile = module.files["cue.mod/module.cue"];
  if (moduleFile === undefined) throw new Error("a CUE module needs cue.mod/module.cue");
  const repository = module.modulePath.replace(/@v\d+$/, "");
  const config = Buffer.from("{}");
  const zip = zipStored(module.files);
  const modFile = Buffer.from(moduleFile);
  for (const blob of [config, zip, modFile]) await pushBlob(send, repository, blob);
  const descriptor = (mediaType: string, data: Buffer) => ({
    mediaType,
    digest: digestOf(data),
    size: data.length,
  });
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: descriptor("application/vnd.cue.module.v1+json", config),
      layers: [descriptor("application/zip", zip), descriptor("application/vnd.cue.modulefile.v1", modFile)],
    }),
  );
  const response = await send(
    "PUT",
    `/v2/${repository}/manifests/${module.version}`,
    manifest,
    "application/vnd.oci.image.manifest.v1+json",
  );
  if (response.status !== 201) throw new Error(`manifest PUT: ${response.status} ${response.body}`);
  return digestOf(manifest);
}

type Send = (method: string, url: string, body: Buffer | undefined, contentType?: string) => Promise<Reply>;

/** Monolithic upload: POST to open an upload session, then PUT the whole blob with its digest. */
async function pushBlob(send: Send, repository: string, blob: Buffer): Promise<void> {
  const start = await send("POST", `/v2/${repository}/blobs/uploads/`, undefined);
  if (start.status !== 202 || start.location === undefined)
    throw new Error(`blob upload POST: ${start.status}`);
  const url = new URL(start.location, "http://placeholder");
  url.searchParams.set("digest", digestOf(blob));
  const put = await send(
    "PUT",
    start.location.startsWith("http") ? url.href : `${url.pathname}${url.search}`,
    blob,
    "application/octet-stream",
  );
  if (put.status !== 201) throw new Error(`blob PUT: ${put.status} ${put.body}`);
}

/** node:http(s) rather than fetch, because fetch cannot be told to trust a test CA. */
function sendRequest(
  method: string,
  url: URL,
  body: Buffer | undefined,
  contentType: string | undefined,
  options: PublishOptions,
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (contentType !== undefined) headers["content-type"] = contentType;
  headers["content-length"] = String(body?.length ?? 0);
  if (options.auth !== undefined) {
    const { username, password } = options.auth;
    headers["authorization"] = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  }
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<Reply>((resolve, reject) => {
    const req = send(
      url,
      { method, headers, ...(options.caCert === undefined ? {} : { ca: options.caCert }) },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: text }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
