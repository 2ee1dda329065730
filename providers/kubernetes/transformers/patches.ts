// The component's patches (`spec.patches`): one ObjectPatch per patch, in order, which render
// applies to the rendered object it targets once every transformer has run (sdk/render/patch.ts).
// The target's name is a base name, so it goes through the context's naming like the object did.
import { OBJECT_PATCH_API_VERSION, OBJECT_PATCH_KIND, type ObjectPatch } from "../../../sdk/index.ts";
import { compact, defineKubernetesTransformer } from "../define.ts";
import { TraitFqn } from "../spec.ts";

export const patchesTransformer = defineKubernetesTransformer({
  name: "patches-transformer",
  description: "Patches objects a component renders (strategic merge, merge or JSON patch) by kind and name",
  labels: { "core.opmodel.dev/trait-type": "extension" },
  requiredTraits: [TraitFqn.patches],
  transform: (spec, component, context) =>
    (spec.patches ?? []).map((patch, index): ObjectPatch => ({
      apiVersion: OBJECT_PATCH_API_VERSION,
      kind: OBJECT_PATCH_KIND,
      metadata: { name: `${component.metadata.name}-patch-${index}` },
      target: compact({
        kind: patch.target.kind,
        name: context.objectName(patch.target.name),
        apiVersion: patch.target.apiVersion,
      }) as ObjectPatch["target"],
      type: patch.type ?? "strategic",
      patch: patch.patch,
    })),
});
