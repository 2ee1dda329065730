// ServiceAccount for the WorkloadIdentity trait (docs/upstream-compatibility.md).
import { defineKubernetesTransformer, objectMetadata, requireSpec } from "../define.ts";
import { TraitFqn } from "../spec.ts";

/** ServiceAccount for the WorkloadIdentity trait. */
export const serviceAccountTransformer = defineKubernetesTransformer({
  name: "serviceaccount-transformer",
  description: "Creates the Kubernetes ServiceAccount a component's workload identity names",
  labels: { "core.opmodel.dev/resource-category": "security" },
  requiredTraits: [TraitFqn.workloadIdentity],
  transform: (spec, _component, context) => {
    const identity = requireSpec(spec.workloadIdentity, "workloadIdentity");
    return {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: objectMetadata(context, context.objectName(identity.name), false),
      automountServiceAccountToken: identity.automountToken ?? false,
    };
  },
});
