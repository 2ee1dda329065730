// The container rules: resource requests and limits declared, no privileged or root containers,
// and probes on the containers of components that expose a Service.
import type { PolicyRuleImplementation, PolicyViolation } from "../../../sdk/index.ts";
import { containersOf, isRecord } from "./pod-specs.ts";

export const resourceLimits: PolicyRuleImplementation = {
  hint: "declare them in the container's resources (requests and limits), or with the Sizing trait",
  check: ({ objects, spec }) => {
    const { requests = [], limits = [] } = spec as {
      requests?: readonly string[];
      limits?: readonly string[];
    };
    const out: PolicyViolation[] = [];
    for (const { object, path, container } of containersOf(objects)) {
      const resources = isRecord(container["resources"]) ? container["resources"] : {};
      for (const [kind, wanted] of [
        ["requests", requests],
        ["limits", limits],
      ] as const) {
        const declared = isRecord(resources[kind]) ? resources[kind] : {};
        for (const resource of wanted) {
          if (declared[resource] !== undefined) continue;
          out.push({
            object,
            field: `${path}.resources.${kind}.${resource}`,
            message: `container ${String(container["name"])} declares no ${resource} ${kind === "requests" ? "request" : "limit"}`,
          });
        }
      }
    }
    return out;
  },
};

export const noPrivilegedContainers: PolicyRuleImplementation = {
  check: ({ objects, spec }) => {
    const { allowRoot } = spec as { allowRoot?: boolean };
    const out: PolicyViolation[] = [];
    for (const { object, path, container, pod } of containersOf(objects)) {
      const name = String(container["name"]);
      const own = isRecord(container["securityContext"]) ? container["securityContext"] : {};
      const podContext = isRecord(pod["securityContext"]) ? pod["securityContext"] : {};
      if (own["privileged"] === true) {
        out.push({
          object,
          field: `${path}.securityContext.privileged`,
          message: `container ${name} runs privileged`,
          hint: "remove privileged: true; grant only the capabilities it needs",
        });
      }
      if (own["allowPrivilegeEscalation"] === true) {
        out.push({
          object,
          field: `${path}.securityContext.allowPrivilegeEscalation`,
          message: `container ${name} may escalate its privileges`,
          hint: "set allowPrivilegeEscalation: false",
        });
      }
      if (allowRoot === true) continue;
      // The container's own settings win over the pod's, as the kubelet applies them.
      const runAsUser = own["runAsUser"] ?? podContext["runAsUser"];
      const runAsNonRoot = own["runAsNonRoot"] ?? podContext["runAsNonRoot"];
      if (runAsUser === 0) {
        out.push({
          object,
          field: `${path}.securityContext.runAsUser`,
          message: `container ${name} runs as root (UID 0)`,
          hint: "run as a non-zero UID",
        });
      } else if (runAsNonRoot !== true && (typeof runAsUser !== "number" || runAsUser <= 0)) {
        out.push({
          object,
          field: `${path}.securityContext.runAsNonRoot`,
          message: `container ${name} may run as root: neither runAsNonRoot nor a non-zero runAsUser is set`,
          hint: "set runAsNonRoot: true (and a runAsUser) in the SecurityContext trait",
        });
      }
    }
    return out;
  },
};

const PROBE_FIELDS = {
  readiness: "readinessProbe",
  liveness: "livenessProbe",
  startup: "startupProbe",
} as const;

export const probesRequired: PolicyRuleImplementation = {
  hint: "declare them with the HealthCheck trait",
  check: ({ objects, spec }) => {
    const { probes = [] } = spec as { probes?: readonly (keyof typeof PROBE_FIELDS)[] };
    // Only components that expose a Service: those are the ones traffic is routed to.
    if (!objects.some((o) => o.kind === "Service")) return [];
    const out: PolicyViolation[] = [];
    for (const { object, path, container, init } of containersOf(objects)) {
      if (init) continue;
      for (const probe of probes) {
        const field = PROBE_FIELDS[probe];
        if (container[field] !== undefined) continue;
        out.push({
          object,
          field: `${path}.${field}`,
          message: `container ${String(container["name"])} of a component that exposes a Service has no ${probe} probe`,
        });
      }
    }
    return out;
  },
};
