// Waiting for health: poll the live objects until each is healthy or the timeout passes. Each
// change of an object's health is an event, so a caller can draw a live view. A timeout names
// every object still not ready and why.
import { OpmError } from "../../../sdk/errors.ts";
import type { ClusterClient } from "./client.ts";
import { latestWarnings } from "./diagnose.ts";
import type { Progress } from "./events.ts";
import { NOT_AWAITED_KINDS, healthOf, type Health } from "./health.ts";
import { isTransient } from "./http-errors.ts";
import { readLive } from "./live.ts";
import { getObject } from "./objects.ts";
import { describeObject, objectKey, type ObjectRef } from "../../../sdk/identity/objects.ts";

/** How long an apply or delete waits in all unless told otherwise (`--timeout`): 5 minutes. */
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const POLL_MS = 1_000;

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  readonly progress: Progress;
}

/**
 * Polls the objects (every second by default) until each is healthy; passive kinds (ConfigMaps,
 * Services, ...) are not awaited, and a moment without the cluster is retried, not a verdict. Each
 * change of an object's health is a `health` event.
 *
 * @throws OpmError OPM6010 when the timeout passes (or `signal` fires) first, naming every object
 * still not ready and why.
 */
export async function waitForHealth(
  client: ClusterClient,
  ids: readonly ObjectRef[],
  options: WaitOptions,
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const awaited = ids.filter((id) => !NOT_AWAITED_KINDS.has(id.kind));
  const deadline = Date.now() + timeoutMs;
  const last = new Map<string, string>();
  for (;;) {
    let live;
    try {
      live = await readLive(client, awaited);
    } catch (error) {
      // A moment without the cluster is no verdict on health: poll again until the deadline.
      if (!isTransient(error) || Date.now() >= deadline) throw error;
      options.progress.emit({ type: "warning", message: `${(error as Error).message}; retrying` });
      await new Promise((r) =>
        setTimeout(r, Math.min(options.pollMs ?? POLL_MS, Math.max(0, deadline - Date.now()))),
      );
      continue;
    }
    const pending: { id: ObjectRef; health: Health }[] = [];
    for (const id of awaited) {
      const health = healthOf(live.get(objectKey(id)));
      const shown = `${health.status}:${health.message ?? ""}`;
      if (last.get(objectKey(id)) !== shown) {
        last.set(objectKey(id), shown);
        options.progress.emit({ type: "health", id, health });
      }
      if (!health.ready) pending.push({ id, health });
    }
    if (pending.length === 0) return;
    if (Date.now() >= deadline || options.signal?.aborted === true) {
      const warnings = await latestWarnings(
        client,
        pending.map((p) => p.id),
      );
      const lines = pending.map((p) => {
        const warning = warnings.get(objectKey(p.id));
        return `${describeObject(p.id)}: ${p.health.message ?? p.health.status}${warning === undefined ? "" : ` (last warning: ${warning})`}`;
      });
      throw new OpmError("WaitTimeout", {
        message: `${pending.length} object(s) not ready after ${Math.round(timeoutMs / 1000)}s:\n  ${lines.join("\n  ")}`,
        hint: "check the objects with `opm mod status` and `opm mod events`; raise --timeout if they are only slow",
        details: {
          objects: pending.map((p) => ({
            ...p.id,
            status: p.health.status,
            message: p.health.message ?? "",
          })),
        },
      });
    }
    await new Promise((r) =>
      setTimeout(r, Math.min(options.pollMs ?? POLL_MS, Math.max(0, deadline - Date.now()))),
    );
  }
}

/** Until every one of `refs` is gone from the cluster, or the deadline (then WaitTimeout). */
export async function waitGone(
  client: ClusterClient,
  refs: readonly ObjectRef[],
  deadline: number,
): Promise<void> {
  let remaining = [...refs];
  while (remaining.length > 0) {
    const still = await Promise.all(
      remaining.map(async (ref) => ((await getObject(client, ref)) === undefined ? undefined : ref)),
    );
    remaining = still.filter((ref): ref is ObjectRef => ref !== undefined);
    if (remaining.length === 0) return;
    if (Date.now() > deadline) {
      // The inventory is kept, so running delete again finishes the job.
      throw new OpmError("WaitTimeout", {
        message: `${remaining.length} object(s) still exist after the timeout:\n  ${remaining.map(describeObject).join("\n  ")}`,
        hint: "check their finalizers (`kubectl get -o yaml`), then run delete again; --no-wait returns at once",
        details: { objects: remaining },
      });
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
