// PodDisruptionBudget (policy/v1) for the DisruptionBudget trait: how many of the component's
// pods may be down during voluntary disruptions (drains, upgrades).
import { defineKubernetesTransformer, objectMetadata, requireSpec } from "../define.ts";
import { TraitFqn } from "../spec.ts";

/** PodDisruptionBudget (policy/v1) for the DisruptionBudget trait. */
export const pdbTransformer = defineKubernetesTransformer({
  name: "pdb-transformer",
  description: "Limits voluntary disruptions of a component's pods with a PodDisruptionBudget",
  labels: { "core.opmodel.dev/resource-type": "pdb" },
  requiredTraits: [TraitFqn.disruptionBudget],
  transform: (spec, component, context) => {
    const budget = requireSpec(spec.disruptionBudget, "disruptionBudget");
    return {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: objectMetadata(context, context.objectName(component.metadata.name), false),
      spec: {
        selector: { matchLabels: { ...context.componentLabels } },
        ...("minAvailable" in budget
          ? { minAvailable: budget.minAvailable }
          : { maxUnavailable: budget.maxUnavailable }),
      },
    };
  },
});
