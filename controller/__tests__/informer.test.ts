// The informer against the real API server: watches that end every second (the server's
// timeoutSeconds) resume from the last resourceVersion without losing or repeating changes.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Informer } from "../informer.ts";
import { eventually, freshNamespace, testClient } from "./helpers.ts";

describe("Informer", () => {
  it("lists, then follows changes across watch reconnects, and reports deletions", async () => {
    const client = testClient();
    const ns = await freshNamespace(client, "informer");
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const create = (name: string) =>
      client.json("POST", path, `creating ${name}`, {
        body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels: { test: "informer" } } },
      });
    await create("before");
    const seen: string[] = [];
    const errors: unknown[] = [];
    const informer = new Informer({
      client,
      path,
      labelSelector: "test=informer",
      watchSeconds: 1,
      onChange: (key, _object, deleted, listed) =>
        seen.push(`${deleted ? "-" : "+"}${key}${listed ? " (list)" : ""}`),
      onError: (error) => errors.push(error),
    });
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    try {
      await informer.whenSynced();
      expect(seen).toEqual([`+${ns}/before (list)`]);
      // Spread over several watch periods: each watch ends after a second and resumes.
      const names = Array.from({ length: 4 }, () => `cm-${randomBytes(2).toString("hex")}`);
      for (const name of names) {
        await create(name);
        await new Promise((r) => setTimeout(r, 700));
      }
      await client.json("DELETE", `${path}/before`, "deleting");
      await eventually("every change seen", async () => (seen.length >= 6 ? true : undefined), 20_000);
      expect(seen.slice(1)).toEqual([...names.map((n) => `+${ns}/${n}`), `-${ns}/before`]);
      expect(informer.keys().sort()).toEqual(names.map((n) => `${ns}/${n}`).sort());
      expect(errors).toEqual([]);
    } finally {
      stop.abort();
      await running;
      client.close();
    }
  }, 60_000);
});
