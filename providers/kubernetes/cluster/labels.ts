// The labels the cluster side adds (docs/architecture.md, decision 4: transformers emit final labels, the
// cluster side only marks membership). Members carry the ApplySet `part-of` label (KEP-3659), so
// kubectl and other tools recognise them; the release inventory is the ApplySet parent. Release
// label keys come from sdk's LabelKeys, the one place they are defined.
import { LabelKeys, MANAGED_BY } from "../../../sdk/identity/labels.ts";
import { applySetId } from "./digest.ts";
import type { KubeObject } from "./objects.ts";

export const APPLYSET_PART_OF = "applyset.kubernetes.io/part-of";
const APPLYSET_ID = "applyset.kubernetes.io/id";
export const APPLYSET_TOOLING = "applyset.kubernetes.io/tooling";
export const APPLYSET_GROUP_KINDS = "applyset.kubernetes.io/contains-group-kinds";
/** `opmodel.dev/component: inventory` marks a release inventory Secret (docs/upstream-compatibility.md). */
const INVENTORY_LABEL = "opmodel.dev/component";
export const INVENTORY_TYPE = "opmodel.dev/release";

/** Which release a command works on. `identity` is the release UUID (sdk's release identity). */
export interface ReleaseRef {
  /** The release name. */
  readonly name: string;
  /** The release's namespace, where its inventory Secret lives. */
  readonly namespace: string;
  /** The release UUID (UUIDv5 of module FQN, release name and namespace). */
  readonly identity: string;
}

/** The name of the release's inventory Secret: `opm.<release>.<identity>`. */
export function inventoryName(release: ReleaseRef): string {
  return `opm.${release.name}.${release.identity}`;
}

/** The ApplySet id of the release: members carry it as their `part-of` label. */
export function releaseApplySetId(release: ReleaseRef): string {
  return applySetId(inventoryName(release), release.namespace, "Secret", "");
}

/** The labels of a release's inventory Secret. */
export function inventoryLabels(release: ReleaseRef): Record<string, string> {
  return {
    [LabelKeys.appManagedBy]: MANAGED_BY,
    [LabelKeys.releaseName]: release.name,
    [LabelKeys.releaseNamespace]: release.namespace,
    [LabelKeys.releaseUuid]: release.identity,
    [INVENTORY_LABEL]: "inventory",
    [APPLYSET_ID]: releaseApplySetId(release),
  };
}

/** The ApplySet a live object belongs to, if any. */
export function partOf(object: KubeObject | undefined): string | undefined {
  return object?.metadata.labels?.[APPLYSET_PART_OF];
}
