// Release naming that stays put (docs/authoring.md, "Release naming"): a command that works on a
// release in the cluster (apply, diff) renders it with the naming its last change recorded when
// neither --release-prefix nor --no-release-prefix chooses, so applying a release-prefixed
// release again without the flag does not rename (and so recreate) every object it owns.
import type { ClusterClient } from "../../../providers/kubernetes/cluster/index.ts";
import type { NamingMode } from "../../../sdk/index.ts";
import { prepareRender, type PreparedRender, type RenderRequest } from "../../module/pipeline.ts";

/** A render and the naming it used, which the change records. */
export interface ReleaseRender {
  readonly prepared: PreparedRender;
  readonly naming: NamingMode;
}

/**
 * Renders `request` for the release it names in the cluster: the flag's naming when given,
 * else the naming the release's last change recorded, else the module's. When the recorded
 * naming is not the module's, `note` says so and how to change it.
 */
export async function renderForRelease(
  request: RenderRequest,
  client: () => Promise<ClusterClient>,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  note: (line: string) => void,
): Promise<ReleaseRender> {
  const prepared = await prepareRender(request, cwd, env);
  if (request.naming !== undefined) return { prepared, naming: request.naming };
  const modules = prepared.module.metadata.naming ?? "component";
  const release = prepared.result.release;
  if (release === undefined) return { prepared, naming: modules };
  const { readInventory, recordedNaming } = await import("../../../providers/kubernetes/cluster/index.ts");
  const recorded = recordedNaming(
    await readInventory(await client(), {
      name: release.name,
      namespace: release.namespace,
      identity: release.identity,
    }),
  );
  if (recorded === undefined || recorded === modules) return { prepared, naming: modules };
  note(
    `release ${release.name} keeps the naming it was applied with: ${describeNaming(recorded, release.name)} ` +
      `(--${recorded === "release-prefixed" ? "no-" : ""}release-prefix changes it, renaming every object)`,
  );
  return { prepared: await prepareRender({ ...request, naming: recorded }, cwd, env), naming: recorded };
}

function describeNaming(naming: NamingMode, release: string): string {
  return naming === "release-prefixed"
    ? `objects named ${release}-<name>`
    : "objects named after their components";
}
