// The progress view: plain lines without a TTY, a redrawn status line on one.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { ClusterEvent } from "../../../providers/kubernetes/cluster/index.ts";
import { createStyle } from "../../output/style.ts";
import { ProgressView } from "./progress-view.ts";

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

function capture(live: boolean): string {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (c: Buffer) => (text += c.toString()));
  const view = new ProgressView(stream, createStyle(false), live);
  events.forEach(view.onEvent);
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
        "r:Deployment/shop/web                            NotReady 0/2 replicas available",
        "r:Deployment/shop/web                            Ready",
        "",
      ].join("\n"),
    );
  });

  it("redraws one status line in place on a terminal and clears it at the end", () => {
    const text = capture(true);
    expect(text).toContain("\r\u001b[2K");
    expect(text).toContain("waiting: 1 done; waiting for r:Deployment/shop/web (0/2 replicas available)");
    // What stays on screen ends with the Ready line: the last status line is erased.
    expect(
      text.endsWith("r:Deployment/shop/web                            Ready\nwaiting: 1 done\r\u001b[2K"),
    ).toBe(true);
  });
});
