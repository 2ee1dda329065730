// The progress view: plain lines without a TTY, a redrawn status line on one.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { ClusterEvent } from "../../../providers/kubernetes/cluster/index.ts";
import { createStyle } from "../../output/style.ts";
import { elapsed, ProgressView } from "./progress-view.ts";

const web = { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web" };
const events: ClusterEvent[] = [
  { type: "phase", phase: "applying" },
  { type: "write", count: 1, what: "Deployment web" },
  { type: "object", id: web, component: "web", action: "created" },
  { type: "phase", phase: "waiting" },
  {
    type: "health",
    id: web,
    health: { status: "NotReady", ready: false, message: "0/2 replicas available" },
  },
  { type: "health", id: web, health: { status: "Ready", ready: true } },
  { type: "phase", phase: "done" },
];

// Each event comes 2.5 s after the one before it, on a clock the view reads.
function capture(live: boolean): string {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (c: Buffer) => (text += c.toString()));
  let clock = 0;
  const view = new ProgressView(stream, createStyle(false), live, () => clock);
  for (const event of events) {
    view.onEvent(event);
    clock += 2500;
  }
  view.finish();
  return text;
}

describe("progress view", () => {
  it("prints one plain line per step when not on a terminal", () => {
    expect(capture(false)).toBe(
      [
        "applying...",
        "r:Deployment/shop/web                            created",
        "waiting...",
        "r:Deployment/shop/web                            NotReady 0/2 replicas available (2s)",
        "r:Deployment/shop/web                            Ready (5s)",
        "",
      ].join("\n"),
    );
  });

  it("redraws one status line in place on a terminal and clears it at the end", () => {
    const text = capture(true);
    expect(text).toContain("\r\u001b[2K");
    expect(text).toContain("waiting 2s: 1 done; waiting for r:Deployment/shop/web (0/2 replicas available)");
    // What stays on screen ends with the Ready line: the last status line is erased.
    expect(
      text.endsWith(
        "r:Deployment/shop/web                            Ready (5s)\nwaiting 5s: 1 done\r\u001b[2K",
      ),
    ).toBe(true);
  });

  it("counts a stage's wait from the stage's start, not the apply's", () => {
    const stream = new PassThrough();
    let text = "";
    stream.on("data", (c: Buffer) => (text += c.toString()));
    let clock = 0;
    const view = new ProgressView(stream, createStyle(false), false, () => clock);
    view.onEvent({ type: "stage", index: 1, total: 2, step: "waiting", objects: 1 });
    clock = 1_000;
    view.onEvent({ type: "health", id: web, health: { status: "Ready", ready: true } });
    view.onEvent({ type: "stage", index: 1, total: 2, step: "applying", objects: 1 });
    clock = 60_000;
    // Not waiting any more: no elapsed time on a health line outside a wait.
    view.onEvent({ type: "health", id: web, health: { status: "Ready", ready: true } });
    view.onEvent({ type: "stage", index: 1, total: 2, step: "waiting", objects: 1 });
    clock = 185_000;
    view.onEvent({
      type: "health",
      id: web,
      health: { status: "NotReady", ready: false, message: "rolling" },
    });
    view.finish();
    expect(text.split("\n").filter((l) => l.startsWith("r:"))).toEqual([
      "r:Deployment/shop/web                            Ready (1s)",
      "r:Deployment/shop/web                            Ready",
      "r:Deployment/shop/web                            NotReady rolling (2m05s)",
    ]);
  });

  it("keeps the status line's elapsed time moving while nothing else happens", async () => {
    const stream = new PassThrough();
    let text = "";
    stream.on("data", (c: Buffer) => (text += c.toString()));
    let clock = 0;
    const view = new ProgressView(stream, createStyle(false), true, () => clock);
    view.onEvent({ type: "phase", phase: "waiting" });
    clock = 3_000;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    view.finish();
    expect(text).toContain("waiting 3s: 0 done");
  });
});

describe("elapsed", () => {
  it.each([
    [0, "0s"],
    [59_999, "59s"],
    [60_000, "1m00s"],
    [125_000, "2m05s"],
    [3_600_000, "1h00m"],
    [3_725_000, "1h02m"],
  ])("%d ms is %s", (ms, text) => {
    expect(elapsed(ms)).toBe(text);
  });
});
