// Issue 11, item 3: all or nothing under admission limits. Each object passes the server's dry
// run alone, but the namespace's ResourceQuota has room for only part of the set: the apply is
// refused before it writes anything, as a quota error with the numbers, and converges once the
// quota allows it.
import { afterAll, describe, expect, it } from "vitest";
import { isOpmError } from "../../../../sdk/errors.ts";
import { apply } from "../apply.ts";
import { serverSideApply, type KubeObject } from "../objects.ts";
import { configMap, freshNamespace, names, pvc, release, testClient } from "./helpers.ts";

const client = testClient();
afterAll(() => client.close());

async function setQuota(ns: string, hard: Record<string, string>): Promise<void> {
  const path = `/api/v1/namespaces/${ns}/resourcequotas`;
  const existing = await client.raw("GET", `${path}/limits`);
  const body = { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "limits" }, spec: { hard } };
  if (existing.status === 200) await client.json("PUT", `${path}/limits`, "quota", { body });
  else await client.json("POST", path, "quota", { body });
  // The quota controller fills status.hard and status.used; admission needs them.
  for (let i = 0; i < 100; i++) {
    const q = await client.json<{ status?: { hard?: Record<string, string> } }>(
      "GET",
      `${path}/limits`,
      "quota",
    );
    if (
      JSON.stringify(q.status?.hard ?? {}) === JSON.stringify(Object.fromEntries(Object.entries(hard).sort()))
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the quota controller did not pick the quota up");
}

describe("a ResourceQuota with room for part of the set", () => {
  it("refuses the apply before it writes anything, with the numbers, and converges once there is room", async () => {
    const ns = await freshNamespace(client, "quota");
    await setQuota(ns, { "count/configmaps": "4", "requests.storage": "1Gi" });
    const objects: [string, KubeObject][] = [
      ...Array.from({ length: 5 }, (_, i): [string, KubeObject] => ["web", configMap(`cm-${i}`)]),
      ["db", pvc("data")],
    ];
    const input = release("app", ns, objects);

    let refused: unknown;
    await apply(input, { client, wait: false }).catch((error: unknown) => (refused = error));
    expect(isOpmError(refused) && refused.code).toBe("OPM6018");
    // The namespace's own kube-root-ca.crt counts: 1 used.
    expect(isOpmError(refused) && refused.message).toBe(
      `the release does not fit the quota of namespace ${ns}:\n` +
        "  ResourceQuota limits: count/configmaps: 1 used + 5 requested > 4 allowed",
    );
    expect(isOpmError(refused) && refused.hint).toMatch(/^nothing was written/);
    expect(await names(client, `/api/v1/namespaces/${ns}/configmaps`)).toEqual([]);
    expect(await names(client, `/api/v1/namespaces/${ns}/persistentvolumeclaims`)).toEqual([]);
    expect(await names(client, `/api/v1/namespaces/${ns}/secrets`)).toEqual([]);

    await setQuota(ns, { "count/configmaps": "6", "requests.storage": "1Gi" });
    await apply(input, { client, wait: false });
    expect(await names(client, `/api/v1/namespaces/${ns}/configmaps`)).toHaveLength(5);

    // Growing the claim past the storage quota: refused with storage numbers.
    const bigger = pvc("data");
    (bigger["spec"] as { resources: { requests: { storage: string } } }).resources.requests.storage = "2Gi";
    let storage: unknown;
    await apply(release("app", ns, [...objects.slice(0, 5), ["db", bigger]]), { client, wait: false }).catch(
      (error: unknown) => (storage = error),
    );
    expect(isOpmError(storage) && storage.message).toContain(
      "ResourceQuota limits: requests.storage: 1Gi used + 1Gi requested > 1Gi allowed",
    );
  });

  it("reports the server's quota refusal as a quota error, not as missing permission", async () => {
    const ns = await freshNamespace(client, "quota-server");
    await setQuota(ns, { "count/configmaps": "1" });
    // The namespace's kube-root-ca.crt fills the quota: the server itself refuses the write.
    let refused: unknown;
    await serverSideApply(
      client,
      { ...configMap("extra"), metadata: { name: "extra", namespace: ns } },
      {
        force: false,
        dryRun: false,
      },
    ).catch((error: unknown) => (refused = error));
    expect(isOpmError(refused) && refused.key).toBe("QuotaExceeded");
    expect(isOpmError(refused) && refused.message).toMatch(
      /exceeded quota: limits, requested: count\/configmaps=1/,
    );
    expect(isOpmError(refused) && refused.hint).not.toContain("RBAC");
  });
});
