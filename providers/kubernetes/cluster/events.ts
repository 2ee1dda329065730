// Progress events of cluster operations. The library never prints: a caller (the CLI's live view,
// a test, a controller) subscribes with `onEvent` and decides what to show.
import type { Health } from "./health.ts";
import type { ObjectRef } from "../../../sdk/identity/objects.ts";

/**
 * What happened to one object: `created`, `configured` (fields changed), `unchanged`, `deleted` (by
 * `delete`), `pruned` (no longer rendered) or `kept` (stale but kept on purpose: Namespaces, PVCs
 * and CRDs without opt-in).
 */
export type ObjectAction = "created" | "configured" | "unchanged" | "deleted" | "pruned" | "kept";

/** The step an operation is in, for progress output. */
export type Phase =
  | "reading"
  | "checking"
  | "dry-run"
  | "applying"
  | "pruning"
  | "committing"
  | "waiting"
  | "deleting"
  | "done";

/** Progress of a cluster operation as it happens: phases, objects, writes, health, stages, warnings. */
export type ClusterEvent =
  | { readonly type: "phase"; readonly phase: Phase; readonly message?: string }
  | {
      readonly type: "object";
      readonly id: ObjectRef;
      readonly component: string;
      readonly action: ObjectAction;
      readonly reason?: string;
    }
  /** Every mutating request, before it is sent: progress counters, and crash tests' kill points. */
  | { readonly type: "write"; readonly count: number; readonly what: string }
  | { readonly type: "health"; readonly id: ObjectRef; readonly health: Health }
  /**
   * A stage (0-based `index` of `total`) starts a step: `waiting` for the `objects` it needs (of
   * earlier stages) to be ready, `applying` its `objects`, or `deleting` them (docs/staged-apply.md).
   */
  | {
      readonly type: "stage";
      readonly index: number;
      readonly total: number;
      readonly step: "waiting" | "applying" | "deleting";
      readonly objects: number;
    }
  | { readonly type: "warning"; readonly message: string };

/** Receives ClusterEvents synchronously, as they happen. */
export type EventSink = (event: ClusterEvent) => void;

/** Counts writes and forwards events; one per operation. */
export class Progress {
  private writes = 0;
  private readonly sink: EventSink | undefined;

  constructor(sink: EventSink | undefined) {
    this.sink = sink;
  }

  emit(event: ClusterEvent): void {
    this.sink?.(event);
  }

  write(what: string): void {
    this.writes += 1;
    this.sink?.({ type: "write", count: this.writes, what });
  }

  get writeCount(): number {
    return this.writes;
  }
}
