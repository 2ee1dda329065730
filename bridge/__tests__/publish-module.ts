// Publishes a CUE module to an OCI registry in CUE's own layout (as `cue mod publish` does):
// repository = module path without the major version, tag = version, config media type
// application/vnd.cue.module.v1+json holding `{}`, layers = the module zip, then module.cue.
import { createHash } from "node:crypto";
import { zipStored } from "./zip.ts";

export interface ModuleToPublish {
  /** e.g. `example.com/lib@v0` */
  readonly modulePath: string;
  /** e.g. `v0.1.0` */
  readonly version: string;
  /** Files relative to the module root; must include `cue.mod/module.cue`. */
  readonly files: Readonly<Record<string, string>>;
}

const digestOf = (data: Buffer): string => `sha256:${createHash("sha256").update(data).digest("hex")}`;

export async function publishModule(registryUrl: string, module: ModuleToPublish): Promise<string> {
  const moduleFile = module.files["cue.mod/module.cue"];
  if (moduleFile === undefined) throw new Error("a CUE module needs cue.mod/module.cue");
  const repository = module.modulePath.replace(/@v\d+$/, "");
  const config = Buffer.from("{}");
  const zip = zipStored(module.files);
  const modFile = Buffer.from(moduleFile);
  for (const blob of [config, zip, modFile]) await pushBlob(registryUrl, repository, blob);
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
  const response = await fetch(`${registryUrl}/v2/${repository}/manifests/${module.version}`, {
    method: "PUT",
    headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" },
    body: manifest,
  });
  if (response.status !== 201) throw new Error(`manifest PUT: ${response.status} ${await response.text()}`);
  return digestOf(manifest);
}

/** Monolithic upload: POST to open an upload session, then PUT the whole blob with its digest. */
async function pushBlob(registryUrl: string, repository: string, blob: Buffer): Promise<void> {
  const start = await fetch(`${registryUrl}/v2/${repository}/blobs/uploads/`, { method: "POST" });
  const location = start.headers.get("location");
  if (start.status !== 202 || location === null) throw new Error(`blob upload POST: ${start.status}`);
  const url = new URL(location, registryUrl);
  url.searchParams.set("digest", digestOf(blob));
  const put = await fetch(url, {
    method: "PUT",
    headers: { "content-type": "application/octet-stream" },
    body: blob,
  });
  if (put.status !== 201) throw new Error(`blob PUT: ${put.status} ${await put.text()}`);
}
