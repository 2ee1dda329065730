// NoLiteralSecrets: no secret value written into the module. A Secret the release renders with
// data came from the module or its values (the literal variant of a secret; a reference to an
// existing Secret renders nothing, an External Secrets reference an ExternalSecret), and a plain
// env `value` under a credential-like name is a secret in clear text in the workload itself.
import type { PolicyRuleImplementation, PolicyViolation } from "../../../sdk/index.ts";
import { containersOf, isRecord } from "./pod-specs.ts";

export const noLiteralSecrets: PolicyRuleImplementation = {
  hint: "reference an existing Secret (secretKeyRef) or an External Secrets store instead of writing the value",
  check: ({ objects, spec }) => {
    const { credentialNames = [], allowLiteralSecrets } = spec as {
      credentialNames?: readonly string[];
      allowLiteralSecrets?: boolean;
    };
    const patterns = credentialNames.map((n) => n.toLowerCase());
    const out: PolicyViolation[] = [];
    if (allowLiteralSecrets !== true) {
      for (const object of objects) {
        if (object.kind !== "Secret" || object.apiVersion !== "v1") continue;
        // Never name the values: only the keys.
        for (const field of ["data", "stringData"] as const) {
          const data = object[field];
          if (!isRecord(data)) continue;
          for (const key of Object.keys(data).sort()) {
            out.push({
              object,
              field: `${field}.${key}`,
              message: `Secret ${String(object.metadata?.name)} carries a literal value under ${key}`,
            });
          }
        }
      }
    }
    for (const { object, path, container } of containersOf(objects)) {
      const env = container["env"];
      if (!Array.isArray(env)) continue;
      env.forEach((entry: unknown, index) => {
        if (!isRecord(entry) || typeof entry["value"] !== "string" || typeof entry["name"] !== "string")
          return;
        const name = entry["name"];
        const lower = name.toLowerCase();
        if (!patterns.some((p) => lower.includes(p))) return;
        out.push({
          object,
          field: `${path}.env[${index}].value`,
          message: `env ${name} of container ${String(container["name"])} looks like a credential and is a plain value`,
          hint: "take it from a Secret: a #Secret in the module's config (secretKeyRef), not a literal value",
        });
      });
    }
    return out;
  },
};
