// Maps an HTTP failure of the Kubernetes API to a typed OpmError. The API answers with a `Status`
// object whose `reason` and `details.causes` say what went wrong; those causes become structured
// details (field-manager conflicts name the manager and field, invalid objects name each field).
import { OpmError, isOpmError } from "../../../sdk/errors.ts";

export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

export interface KubeStatus {
  readonly kind?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
  readonly details?: {
    readonly causes?: readonly StatusCause[];
    readonly name?: string;
    readonly kind?: string;
  };
}

/** What the failed request was about, for messages: `Deployment web in namespace shop`. */
export type Subject = string;

/** One field another manager owns, parsed from a FieldManagerConflict cause. */
export interface FieldOwnership {
  readonly manager: string;
  readonly field: string;
}

export function conflictsOf(status: KubeStatus): FieldOwnership[] {
  const out: FieldOwnership[] = [];
  for (const cause of status.details?.causes ?? []) {
    if (cause.reason !== "FieldManagerConflict") continue;
    const manager = /conflict with "([^"]*)"/.exec(cause.message ?? "")?.[1] ?? "unknown";
    out.push({ manager, field: cause.field ?? "" });
  }
  return out;
}

export function errorFromStatus(httpStatus: number, body: unknown, subject: Subject): OpmError {
  const status: KubeStatus = typeof body === "object" && body !== null ? (body as KubeStatus) : {};
  const serverMessage = status.message ?? (typeof body === "string" ? body : `HTTP ${httpStatus}`);
  const causes = (status.details?.causes ?? []).map((c) => ({
    ...(c.field === undefined ? {} : { field: c.field }),
    ...(c.reason === undefined ? {} : { reason: c.reason }),
    message: c.message ?? "",
  }));
  const details = { subject, httpStatus, reason: status.reason ?? "", causes };
  if (httpStatus === 403 && /exceeded quota/.test(serverMessage)) {
    return new OpmError("QuotaExceeded", {
      message: `${subject}: ${serverMessage}`,
      hint: "the namespace's ResourceQuota has no room for it: remove what is not needed, ask for a larger quota, or choose another namespace",
      details,
    });
  }
  // The namespace lifecycle admission answers 403 for a write into a Terminating namespace: not a
  // matter of permission, and waiting (or another namespace) is the way out.
  if (httpStatus === 403 && causes.some((c) => c.reason === "NamespaceTerminating")) {
    return new OpmError("ObjectTerminating", {
      message: `${subject}: ${serverMessage}`,
      hint: "the namespace is being deleted; wait until it is gone (its objects' finalizers may hold it), then apply with --create-namespace, or choose another namespace",
      details,
    });
  }
  if (httpStatus === 401 || httpStatus === 403) {
    return new OpmError("ClusterForbidden", {
      message: `${subject}: ${serverMessage}`,
      hint:
        httpStatus === 401
          ? "the credentials of the kubeconfig context were not accepted; log in again or pick another --context"
          : "ask a cluster admin for RBAC permission for this verb and resource, or use another --context",
      details,
    });
  }
  if (httpStatus === 404) {
    return new OpmError("ClusterNotFound", { message: `${subject}: not found`, details });
  }
  if (httpStatus === 409) {
    const owned = conflictsOf(status);
    if (owned.length > 0) {
      const list = owned.map((o) => `${o.field} (owned by ${o.manager})`).join(", ");
      return new OpmError("FieldConflict", {
        message: `${subject}: fields are managed by another field manager: ${list}`,
        hint: "pass --force-conflicts to take the fields over, or remove them from the other manager",
        details: { ...details, conflicts: owned },
      });
    }
    return new OpmError("ClusterRequestFailed", { message: `${subject}: ${serverMessage}`, details });
  }
  // Server-side apply answers a field of the wrong type (against a CRD's schema, too) with a 500
  // "failed to create typed patch object": the object is refused, the server is fine.
  const typedPatch = httpStatus === 500 && serverMessage.startsWith("failed to create typed patch object");
  if (httpStatus === 422 || httpStatus === 400 || typedPatch) {
    const fields = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).filter(Boolean);
    const immutable = causes.some((c) => IMMUTABLE.test(c.message));
    return new OpmError("ObjectRejected", {
      message: `${subject} was rejected: ${fields.length > 0 ? fields.join("; ") : serverMessage}`,
      hint: immutable
        ? immutableHint(status)
        : "fix the module or values that produce this object; nothing was written",
      details: immutable ? { ...details, immutable } : details,
    });
  }
  return new OpmError("ClusterRequestFailed", {
    message: `${subject}: ${serverMessage}`,
    hint: httpStatus >= 500 ? "the API server failed; retry, and check its health if it persists" : undefined,
    details,
  });
}

// How the API server says a field cannot change on a live object (a Deployment's selector, a
// Service's clusterIP, a Job's template, a PVC's spec, a StatefulSet's spec beyond a few fields).
const IMMUTABLE = /immutable|may not change once set|updates to [a-z]+ spec for fields other than/;

/**
 * The way out of an immutable field: there is no in-place update, so the object must be recreated.
 * opm does not delete and recreate on its own (the object would be gone in between, and a PVC's
 * data with it); kubectl apply and helm upgrade stop at the same error.
 */
function immutableHint(status: KubeStatus): string {
  const kind = status.details?.kind?.toLowerCase();
  const name = status.details?.name;
  const target = kind !== undefined && name !== undefined ? ` (\`kubectl delete ${kind}/${name}\`)` : "";
  return `the cluster cannot change this field on a live object: keep its old value in the module or values, or delete the object${target} and apply again, which recreates it (it is gone in between); nothing was written`;
}

/** A failure to get an answer at all, which the next attempt may not have (a watch retries). */
export function isTransient(error: unknown): boolean {
  return isOpmError(error) && (error.key === "ClusterTimeout" || error.key === "ClusterUnreachable");
}

/** What a call waited for when its time ran out. */
export type Waited = "connection" | "handshake" | "headers" | "body";

const WAITED: Readonly<Record<Waited, string>> = {
  connection: "no TCP connection was established",
  handshake: "the TLS handshake did not complete",
  headers: "no response came",
  body: "the response did not finish",
};

export function timedOut(server: string, waited: Waited, limitMs: number, call: string): OpmError {
  const limit = limitMs % 1000 === 0 ? `${limitMs / 1000}s` : `${limitMs}ms`;
  return new OpmError("ClusterTimeout", {
    message: `the cluster at ${server} did not answer in time: ${WAITED[waited]} within ${limit} (${call})`,
    hint:
      waited === "connection" || waited === "handshake"
        ? "check that the API server runs and the kubeconfig context points at it (`opm dev cluster status`)"
        : "the API server accepted the connection but did not answer; check its health, or raise --request-timeout if it is only slow",
    details: { server, waitedFor: waited, timeoutMs: limitMs, request: call },
  });
}

export function unreachable(server: string, cause: unknown): OpmError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new OpmError("ClusterUnreachable", {
    message: `cannot reach the cluster at ${server}: ${reason}`,
    hint: "check that the cluster runs and the kubeconfig context points at it (`opm dev cluster status`)",
    cause,
    details: { server },
  });
}
