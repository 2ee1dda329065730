// Progress of cluster operations on stderr. On a TTY: finished objects scroll by as lines and one
// status line at the bottom is redrawn in place (phase, counts, objects still not ready). In CI
// and pipes: plain lines, one per event, nothing redrawn. While it waits for health, both say how
// long it has waited, so a slow rollout is told apart from a hung one.
import type { ClusterEvent, ObjectRef } from "../../../providers/kubernetes/cluster/index.ts";
import type { Style } from "../../output/style.ts";

export function objectLabel(id: ObjectRef): string {
  return id.namespace === "" ? `r:${id.kind}/${id.name}` : `r:${id.kind}/${id.namespace}/${id.name}`;
}

/** Time waited so far, to the second: `7s`, `2m05s`, `1h02m`. */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
}

export class ProgressView {
  private readonly stream: NodeJS.WritableStream;
  private readonly style: Style;
  private readonly live: boolean;
  private readonly now: () => number;
  private statusShown = false;
  private phase = "";
  private readonly notReady = new Map<string, string>();
  private done = 0;
  /** When the current wait began; undefined while nothing is awaited. */
  private waitingSince: number | undefined;
  /** Redraws the status line each second while waiting, so its elapsed time moves. */
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(stream: NodeJS.WritableStream, style: Style, live: boolean, now: () => number = Date.now) {
    this.stream = stream;
    this.style = style;
    this.live = live;
    this.now = now;
  }

  /** Subscribe this to the library's onEvent. */
  readonly onEvent = (event: ClusterEvent): void => {
    switch (event.type) {
      case "phase":
        this.phase = event.phase;
        this.waitingFor(event.phase);
        if (!this.live && event.phase !== "done") this.line(this.style.dim(`${event.phase}...`));
        break;
      case "object":
        this.done += 1;
        this.line(
          `${objectLabel(event.id).padEnd(48)} ${this.colorAction(event.action)}${event.reason === undefined ? "" : this.style.dim(` (${event.reason})`)}`,
        );
        break;
      case "health": {
        const key = objectLabel(event.id);
        const after = this.waitingSince === undefined ? "" : this.style.dim(` (${this.waited()})`);
        if (event.health.ready) {
          if (this.notReady.delete(key) || !this.live)
            this.line(`${key.padEnd(48)} ${this.style.ok(event.health.status)}${after}`);
        } else {
          this.notReady.set(key, event.health.message ?? event.health.status);
          if (!this.live)
            this.line(
              `${key.padEnd(48)} ${this.style.warning(event.health.status)} ${this.style.dim(event.health.message ?? "")}${after}`,
            );
        }
        break;
      }
      case "warning":
        this.line(this.style.warning(`warning: ${event.message}`));
        break;
      case "stage": {
        const stage = `stage ${event.index + 1}/${event.total}`;
        this.phase = `${event.step} ${stage}`;
        this.waitingFor(event.step);
        this.line(
          this.style.dim(
            event.step === "waiting"
              ? `${stage}: waiting for ${event.objects} object(s) it needs to be ready`
              : `${stage}: ${event.step} ${event.objects} object(s)`,
          ),
        );
        break;
      }
      case "write":
        break;
    }
    this.redraw();
  };

  /** Starts the wait timer when a phase or stage step is a wait, and stops it otherwise. */
  private waitingFor(step: string): void {
    if (step === "waiting") this.startWaiting();
    else this.stopWaiting();
  }

  private startWaiting(): void {
    this.waitingSince = this.now();
    if (this.live && this.ticker === undefined) {
      this.ticker = setInterval(() => this.redraw(), 1000);
      // A progress line must never keep the process alive on its own.
      this.ticker.unref();
    }
  }

  private stopWaiting(): void {
    this.waitingSince = undefined;
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private waited(): string {
    return elapsed(this.now() - (this.waitingSince ?? this.now()));
  }

  private colorAction(action: string): string {
    if (action === "created" || action === "configured") return this.style.ok(action);
    if (action === "pruned" || action === "deleted") return this.style.warning(action);
    return this.style.dim(action);
  }

  private clearStatus(): void {
    if (this.statusShown) this.stream.write("\r\u001b[2K");
    this.statusShown = false;
  }

  private line(text: string): void {
    this.clearStatus();
    this.stream.write(`${text}\n`);
  }

  private redraw(): void {
    if (!this.live) return;
    this.clearStatus();
    if (this.phase === "done" || this.phase === "") return;
    const waiting = [...this.notReady.entries()].slice(0, 3).map(([k, why]) => `${k} (${why})`);
    const more = this.notReady.size > 3 ? ` +${this.notReady.size - 3}` : "";
    const phase = this.waitingSince === undefined ? this.phase : `${this.phase} ${this.waited()}`;
    const text = `${phase}: ${this.done} done${waiting.length > 0 ? `; waiting for ${waiting.join(", ")}${more}` : ""}`;
    const width = (this.stream as { columns?: number }).columns ?? 120;
    this.stream.write(this.style.dim(text.length > width - 1 ? `${text.slice(0, width - 2)}…` : text));
    this.statusShown = true;
  }

  /** Removes the status line; call before printing results. */
  finish(): void {
    this.stopWaiting();
    this.clearStatus();
  }
}
