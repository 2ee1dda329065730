// The steps of `opm mod handoff`: what a CLI-managed release becomes as a ModuleRelease (its
// module by reference or carried inline, its values in a Secret the resource names), the proof
// that the controller renders what the cluster has, and the writes that move the release.
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { PassThrough } from "node:stream";
import {
  API_VERSION,
  FIELD_MANAGER,
  KIND,
  type ModuleReleaseSpecInput,
} from "../../../controller/api/types.ts";
import type { ModuleSourceSpec } from "../../../controller/ports.ts";
import { getRelease, releasePath, setFinalizer } from "../../../controller/resource.ts";
import type { ChangeRecord, ClusterClient, Inventory } from "../../../providers/kubernetes/cluster/index.ts";
import { OpmError, isOpmError } from "../../../sdk/errors.ts";
import { controllerPorts } from "../controller/render-port.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** The key of the handoff's values Secret, as the CLI's history stores values. */
export const VALUES_KEY = "values.json";
/** An inline module larger than this is refused: a ModuleRelease is stored in etcd. */
const MAX_INLINE_BYTES = 512 * 1024;

export function refused(message: string, hint: string): OpmError {
  return new OpmError("HandoffRefused", { message, hint });
}

/** The change the release is at now: committed, nothing pending. */
export function currentChange(inventory: Inventory): ChangeRecord {
  const { release } = inventory;
  if (inventory.pending !== undefined)
    throw refused(
      `release ${release.name} has an apply or delete that is running or was interrupted`,
      "wait for it, or run opm mod apply again so the release is complete, then hand it over",
    );
  const head = inventory.index[0] === undefined ? undefined : inventory.changes[inventory.index[0]];
  if (head?.source?.values === undefined)
    throw refused(
      `release ${release.name} has no recorded module source and values (applied by an opm without history)`,
      "apply it once more with opm mod apply, then hand it over",
    );
  return head;
}

/** The release's module as a ModuleRelease names it: a registry reference, or its files inline. */
export async function moduleOf(change: ChangeRecord): Promise<{
  spec: ModuleReleaseSpecInput["module"];
  source: ModuleSourceSpec;
}> {
  const source = change.source!;
  if (source.kind === "registry") {
    const ref = `${source.module.replace(/@v[0-9]+$/, "")}@${source.version ?? ""}`;
    return { spec: { ref }, source: { kind: "registry", ref } };
  }
  const files = await readModuleFiles(source.module);
  const { sha256, stableJson } = await import("../../../providers/kubernetes/cluster/index.ts");
  return {
    spec: { inline: { files } },
    source: { kind: "inline", files, digest: sha256(stableJson(files)) },
  };
}

/** A local module's files (a CUE module's directory, or one TS file), to carry inline. */
async function readModuleFiles(path: string): Promise<Record<string, string>> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined)
    throw refused(
      `the release was applied from ${path}, which is not here`,
      "run the handoff where the module's directory is, or publish the module and apply it from the registry first",
    );
  const files: Record<string, string> = {};
  let total = 0;
  const add = async (file: string, name: string) => {
    const text = await readFile(file, "utf8");
    total += Buffer.byteLength(text);
    files[name] = text;
  };
  if (info.isFile()) await add(path, basename(path));
  else {
    const walk = async (dir: string): Promise<void> => {
      for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
        a.name.localeCompare(b.name),
      )) {
        if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile()) await add(full, relative(path, full));
      }
    };
    await walk(path);
  }
  if (total > MAX_INLINE_BYTES)
    throw refused(
      `the module at ${path} is ${Math.round(total / 1024)} KiB, too large to carry in a ModuleRelease (at most ${MAX_INLINE_BYTES / 1024} KiB)`,
      "publish the module (opm mod publish), apply it from the registry, then hand it over",
    );
  return files;
}

export interface Parity {
  /** The change id the controller's render gives; equal to the release's when nothing differs. */
  readonly changeId: string;
}

/**
 * Renders the release as the controller will (its render port, the values as the document the
 * ModuleRelease names) and plans it against the cluster without writing: the change id says
 * whether the controller's first reconcile would change anything.
 */
export async function controllerParity(
  client: ClusterClient,
  request: {
    readonly module: ModuleSourceSpec;
    readonly values: unknown;
    readonly valuesName: string;
    readonly namespace: string;
    readonly releaseName: string;
    readonly choices: RenderChoices;
  },
  settings: { readonly env: Env; readonly cwd: string; readonly configPath?: string | undefined },
): Promise<Parity> {
  const ports = controllerPorts({ ...settings, moduleOutput: new PassThrough() });
  const rendered = await ports
    .render({
      module: request.module,
      values: undefined,
      documents: [{ name: `Secret ${request.valuesName} key ${VALUES_KEY}`, data: request.values }],
      set: [],
      namespace: request.namespace,
      releaseName: request.releaseName,
      ...request.choices,
    })
    .finally(() => ports.close?.());
  const { apply } = await import("../../../providers/kubernetes/cluster/index.ts");
  const planned = await apply(rendered.input, { client, dryRun: "client", wait: false });
  return { changeId: planned.changeId };
}

/** How the CLI rendered the release beyond module and values, as recorded with its change. */
export interface RenderChoices {
  readonly naming?: "component" | "release-prefixed";
  readonly provider?: string;
}

/** The recorded choices of a change (none for a release applied by an opm that did not record them). */
export function choicesOf(change: ChangeRecord): RenderChoices {
  const source = change.source;
  return {
    ...(source?.naming === undefined ? {} : { naming: source.naming }),
    ...(source?.provider === undefined ? {} : { provider: source.provider }),
  };
}

/** The Secret holding the values, and the ModuleRelease naming it. */
export function handoffObjects(request: {
  readonly name: string;
  readonly namespace: string;
  readonly releaseName: string;
  readonly module: ModuleReleaseSpecInput["module"];
  readonly values: unknown;
  readonly interval: string;
  readonly choices: RenderChoices;
}): { secret: Record<string, unknown>; moduleRelease: Record<string, unknown>; secretName: string } {
  const secretName = `${request.name}-values`;
  const labels = {
    "app.kubernetes.io/managed-by": FIELD_MANAGER,
    "opmodel.dev/module-release": request.name,
  };
  const spec: ModuleReleaseSpecInput = {
    module: request.module,
    valuesFrom: [{ secretKeyRef: { name: secretName, key: VALUES_KEY } }],
    ...(request.releaseName === request.name ? {} : { releaseName: request.releaseName }),
    ...request.choices,
    interval: request.interval,
  };
  return {
    secretName,
    secret: {
      apiVersion: "v1",
      kind: "Secret",
      type: "Opaque",
      metadata: { name: secretName, namespace: request.namespace, labels },
      data: { [VALUES_KEY]: Buffer.from(JSON.stringify(request.values ?? {})).toString("base64") },
    },
    moduleRelease: {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: { name: request.name, namespace: request.namespace, labels },
      spec,
    },
  };
}

/**
 * Deletes the ModuleRelease without pruning: its finalizer is removed by hand, so no running
 * controller is needed. A controller that is running races this removal (it sees the deletion,
 * and with the release's record moved it drops the finalizer too), so a ModuleRelease gone
 * (404) or changed under us (409) is re-read rather than reported. False when there was none.
 */
export async function deleteModuleRelease(
  client: ClusterClient,
  namespace: string,
  name: string,
): Promise<boolean> {
  if ((await getRelease(client, namespace, name)) === undefined) return false;
  await client.json("DELETE", releasePath(namespace, name), "deleting the ModuleRelease");
  for (let attempt = 0; ; attempt++) {
    const deleting = await getRelease(client, namespace, name);
    if (deleting === undefined) return true;
    try {
      await setFinalizer(client, deleting, false);
      return true;
    } catch (error) {
      const status = isOpmError(error)
        ? (error.details as { httpStatus?: number } | undefined)?.httpStatus
        : undefined;
      if (attempt >= 4 || (status !== 404 && status !== 409)) throw error;
    }
  }
}
