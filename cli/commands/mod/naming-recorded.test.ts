// The naming a release was applied with is recorded with its change, and kept: applying (or
// diffing) a release-prefixed release again without --release-prefix renders it the same way
// instead of renaming every object, with a note that says so; --no-release-prefix changes it on
// purpose. Through the real CLI against the suite's real control plane.
import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { ClusterClient } from "../../../providers/kubernetes/cluster/client.ts";
import { readInventory } from "../../../providers/kubernetes/cluster/inventory.ts";
import { run } from "../../__tests__/run.ts";

const TS = "examples/blog/blog.opm.ts";
const VALUES = ["-f", "examples/blog/values.yaml"];
const env = () => ({ KUBECONFIG: inject("kubeconfig") });

async function deployments(client: ClusterClient, ns: string): Promise<string[]> {
  const list = await client.json<{ items: { metadata: { name: string } }[] }>(
    "GET",
    `/apis/apps/v1/namespaces/${ns}/deployments`,
    "list",
  );
  return list.items.map((i) => i.metadata.name).sort();
}

async function latestNaming(client: ClusterClient, ns: string): Promise<string | undefined> {
  const list = await client.json<{ items: { metadata: { name: string; labels: Record<string, string> } }[] }>(
    "GET",
    `/api/v1/namespaces/${ns}/secrets?labelSelector=${encodeURIComponent("module-release.opmodel.dev/name=blue")}`,
    "list",
  );
  const uuid = list.items[0]?.metadata.labels["module-release.opmodel.dev/uuid"];
  const inventory = await readInventory(client, { name: "blue", namespace: ns, identity: uuid ?? "" });
  const latest = inventory?.index[0];
  return latest === undefined ? undefined : inventory?.changes[latest]?.source?.naming;
}

describe("a release applied with --release-prefix, applied again without it", () => {
  it("keeps its names (noted), diffs clean, and changes only with --no-release-prefix", async () => {
    const ns = `keep-${randomBytes(3).toString("hex")}`;
    const apply = (...flags: string[]) =>
      run(["mod", "apply", TS, ...VALUES, "-n", ns, "--release-name", "blue", "--no-wait", ...flags], {
        env: env(),
      });
    const first = await apply("--release-prefix", "--create-namespace");
    expect(first.err).not.toContain("OPM");
    expect(first.code).toBe(0);
    const client = ClusterClient.fromKubeconfig({ paths: [inject("kubeconfig")] });
    try {
      expect(await deployments(client, ns)).toEqual(["blue-comments", "blue-web"]);
      expect(await latestNaming(client, ns)).toBe("release-prefixed");

      const diff = await run(["mod", "diff", TS, ...VALUES, "-n", ns, "--release-name", "blue"], {
        env: env(),
      });
      expect(diff.err).toContain(
        "release blue keeps the naming it was applied with: objects named blue-<name>",
      );
      expect(diff.code).toBe(0);

      const again = await apply();
      expect(again.code).toBe(0);
      expect(again.err.split("\n")[0]).toBe(
        "release blue keeps the naming it was applied with: objects named blue-<name> (--no-release-prefix changes it, renaming every object)",
      );
      expect(again.out).toBe(`release blue in namespace ${ns}: no changes (6 objects unchanged)\n`);
      expect(await deployments(client, ns)).toEqual(["blue-comments", "blue-web"]);
      expect(await latestNaming(client, ns)).toBe("release-prefixed");

      // Told otherwise: the objects are renamed (the prefixed ones pruned) and the choice recorded.
      const renamed = await apply("--no-release-prefix");
      expect(renamed.err).not.toContain("keeps the naming");
      expect(renamed.err).not.toContain("OPM");
      expect(renamed.code).toBe(0);
      expect(renamed.out).toBe(`release blue in namespace ${ns}: 6 created, 6 pruned\n`);
      expect(await deployments(client, ns)).toEqual(["comments", "web"]);
      expect(await latestNaming(client, ns)).toBe("component");

      // And that is kept too: no note, since it is the module's own naming.
      const plain = await apply();
      expect(plain.err).not.toContain("keeps the naming");
      expect(plain.out).toBe(`release blue in namespace ${ns}: no changes (6 objects unchanged)\n`);

      const deleted = await run(["mod", "delete", "--release-name", "blue", "-n", ns, "-y", "--no-wait"], {
        env: env(),
      });
      expect(deleted.code).toBe(0);
      expect(await deployments(client, ns)).toEqual([]);
    } finally {
      client.close();
    }
  });
});
