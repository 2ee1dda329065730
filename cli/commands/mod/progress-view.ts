// Progress of cluster operations on stderr. On a TTY: finished objects scroll by as lines and one
// status line at the bottom is redrawn in place (phase, counts, objects still not ready). In CI
// and pipes: plain lines, one per event, nothing redrawn.
import type { ClusterEvent, ObjectRef } from "../../../providers/kubernetes/cluster/index.ts";
import type { Style } from "../../output/style.ts";

export function objectLabel(id: ObjectRef): string {
  return id.namespace === "" ? `r:${id.kind}/${id.name}` : `r:${id.kind}/${id.namespace}/${id.name}`;
}

export class ProgressView {
  private readonly stream: NodeJS.WritableStream;
  private readonly style: Style;
  private readonly live: boolean;
  private statusShown = false;
  private phase = "";
  private readonly notReady = new Map<string, string>();
  private done = 0;

  constructor(stream: NodeJS.WritableStream, style: Style, live: boolean) {
    this.stream = stream;
    this.style = style;
    this.live = live;
  }

  /** Subscribe this to the library's onEvent. */
  readonly onEvent = (event: ClusterEvent): void => {
    switch (event.type) {
      case "phase":
        this.phase = event.phase;
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
        if (event.health.ready) {
          if (this.notReady.delete(key) || !this.live)
            this.line(`${key.padEnd(48)} ${this.style.ok(event.health.status)}`);
        } else {
          this.notReady.set(key, event.health.message ?? event.health.status);
          if (!this.live)
            this.line(
              `${key.padEnd(48)} ${this.style.warning(event.health.status)} ${this.style.dim(event.health.message ?? "")}`,
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
    const text = `${this.phase}: ${this.done} done${waiting.length > 0 ? `; waiting for ${waiting.join(", ")}${more}` : ""}`;
    const width = (this.stream as { columns?: number }).columns ?? 120;
    this.stream.write(this.style.dim(text.length > width - 1 ? `${text.slice(0, width - 2)}…` : text));
    this.statusShown = true;
  }

  /** Removes the status line; call before printing results. */
  finish(): void {
    this.clearStatus();
  }
}
