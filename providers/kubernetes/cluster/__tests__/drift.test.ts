// Issue 11, item 4: drift can always be corrected. Fields we apply that another manager changed
// (`kubectl patch`, `kubectl set image`) show in diff, list entries by their merge key, and
// `apply --force-conflicts` restores every one; without it apply names the drift and the flag.
import { afterAll, describe, expect, it } from "vitest";
import { isOpmError } from "../../../../sdk/errors.ts";
import { apply } from "../apply.ts";
import { diff } from "../diff.ts";
import type { KubeObject } from "../objects.ts";
import { deployment, freshNamespace, release, service, testClient } from "./helpers.ts";

const client = testClient();
afterAll(() => client.close());

/** What `kubectl patch --type=json` sends, under kubectl's field manager. */
async function jsonPatch(path: string, ops: unknown[]): Promise<void> {
  await client.json("PATCH", path, path, {
    body: ops,
    contentType: "application/json-patch+json",
    query: { fieldManager: "kubectl-patch" },
  });
}

describe("drift of fields we apply", () => {
  it("shows in diff by merge key, and apply --force-conflicts restores it", async () => {
    const ns = await freshNamespace(client, "drift");
    const input = release("app", ns, [
      ["web", service("web")],
      ["web", deployment("web")],
    ]);
    await apply(input, { client, wait: false });
    const svc = `/api/v1/namespaces/${ns}/services/web`;
    const deploy = `/apis/apps/v1/namespaces/${ns}/deployments/web`;
    await jsonPatch(svc, [{ op: "replace", path: "/spec/ports/0/port", value: 8080 }]);
    await jsonPatch(deploy, [
      { op: "replace", path: "/spec/template/spec/containers/0/image", value: "nginx:1.99" },
    ]);

    const shown = await diff(input, { client });
    const changes = Object.fromEntries(shown.objects.map((o) => [o.id.kind, o.changes]));
    expect(changes["Service"]).toEqual([
      {
        path: ".spec.ports[port=8080,protocol=TCP]",
        op: "remove",
        before: { name: "http", port: 8080, protocol: "TCP", targetPort: 80 },
      },
      {
        path: ".spec.ports[port=80,protocol=TCP]",
        op: "add",
        after: { name: "http", port: 80, protocol: "TCP", targetPort: 80 },
      },
    ]);
    expect(changes["Deployment"]).toEqual([
      {
        path: ".spec.template.spec.containers[name=main].image",
        op: "change",
        before: "nginx:1.99",
        after: "nginx:1.27",
      },
    ]);

    let refused: unknown;
    await apply(input, { client, wait: false }).catch((error: unknown) => (refused = error));
    expect(isOpmError(refused) && refused.key).toBe("FieldConflict");
    expect(isOpmError(refused) && refused.message).toContain(
      ".spec.ports: [port=8080,protocol=TCP] (by kubectl-patch) stands where [port=80] should be",
    );
    expect(isOpmError(refused) && refused.hint).toContain("--force-conflicts");

    await apply(input, { client, wait: false, forceConflicts: true });
    const live = await client.json<KubeObject & { spec: { ports: unknown[] } }>("GET", svc, svc);
    expect(live.spec.ports).toEqual([{ name: "http", port: 80, protocol: "TCP", targetPort: 80 }]);
    // The restoring write leaves no owner behind that would keep the entry once we drop it.
    expect(live.metadata.managedFields?.map((m) => m.manager)).not.toContain("opm-drift-repair");
    const image = await client.json<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(
      "GET",
      deploy,
      deploy,
    );
    expect(image.spec.template.spec.containers[0]?.image).toBe("nginx:1.27");
    expect((await diff(input, { client })).differs).toBe(false);
  });
});
