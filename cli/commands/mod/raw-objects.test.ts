// Raw objects and patches (docs/authoring.md, "Raw objects and patches") through the real CLI:
// the TS and CUE twins of cli/testdata/extras render the same bytes (the golden
// cli/testdata/extras/expected.yaml); a patch whose target does not exist and an invalid patch
// are positioned, coded errors; against the suite's real control plane, a raw custom resource
// (its CRD installed here) and the patched Deployment and Service are applied and owned by the
// release, an object the CRD's schema refuses stops the apply in the server's dry run with
// nothing written, and the raw objects are pruned when the module stops rendering them.
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { installCrds, type Crd } from "../../../providers/kubernetes/__tests__/gateway-crds.ts";
import { ClusterClient } from "../../../providers/kubernetes/cluster/client.ts";
import { expectGolden } from "../../../test/golden.ts";
import { run } from "../../__tests__/run.ts";

const TS = "cli/testdata/extras/extras.opm.ts";
const CUE = "cli/testdata/extras/cue";
const GOLDEN = "cli/testdata/extras/expected.yaml";
const env = () => ({ KUBECONFIG: inject("kubeconfig") });
const scratch = mkdtempSync(join(tmpdir(), "opm-extras-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the CUE twin with one text replacement, for the error cases. */
function variant(name: string, from: string, to: string): string {
  const dir = join(scratch, name);
  cpSync(CUE, dir, { recursive: true });
  const file = join(dir, "extras.cue");
  const source = readFileSync(file, "utf8");
  expect(source).toContain(from);
  writeFileSync(file, source.replace(from, to));
  return dir;
}

describe("raw objects and patches at render", () => {
  it("render the same bytes from TS and CUE, as the golden file", async () => {
    const ts = await run(["mod", "build", TS], { env: {} });
    expect(ts.err).toBe("");
    expect(ts.code).toBe(0);
    expectGolden(ts.out, GOLDEN);
    const cue = await run(["mod", "build", CUE], { env: {} });
    expect(cue.err).toBe("");
    expect(cue.out).toBe(ts.out);
    // The patches reached the rendered objects; no ObjectPatch is ever output.
    expect(ts.out).toContain("revisionHistoryLimit: 2");
    expect(ts.out).toContain("terminationGracePeriodSeconds: 5");
    expect(ts.out).toContain("sessionAffinity: ClientIP");
    expect(ts.out).not.toContain("ObjectPatch");
  });

  it("follow release-prefixed naming: raw objects and patch targets are prefixed", async () => {
    const res = await run(["mod", "build", CUE, "--release-name", "blue", "--release-prefix"], { env: {} });
    expect(res.code).toBe(0);
    expect(res.out).toContain("name: blue-gadget\n");
    expect(res.out).toContain("name: blue-widget-settings\n");
    expect(res.out).toContain("revisionHistoryLimit: 2");
  });

  it("a patch whose target does not exist is OPM4003 at the component, listing what is rendered", async () => {
    const dir = variant("missing", '{kind: "Service", name: "web"}', '{kind: "Service", name: "api"}');
    const res = await run(["mod", "build", dir], { env: {} });
    expect(res.code).toBe(2);
    expect(res.err).toContain("OPM4003");
    expect(res.err).toContain("component web, patch web-patch-2: no rendered Service is named api");
    expect(res.err).toMatch(/extras\.cue:\d+:\d+/);
    expect(res.err).toContain("rendered Service objects: web");
    expect(res.out).toBe("");
  });

  it("an invalid patch is OPM4004 at the component, saying what is wrong", async () => {
    const dir = variant(
      "invalid",
      '{op: "add", path: "/spec/revisionHistoryLimit", value: 2}',
      '{op: "replace", path: "/spec/nothing/here", value: 2}',
    );
    const res = await run(["mod", "build", dir], { env: {} });
    expect(res.code).toBe(2);
    expect(res.err).toContain("OPM4004");
    expect(res.err).toContain("operation 1: /spec/nothing does not exist");
    expect(res.err).toMatch(/extras\.cue:\d+:\d+/);
    expect(res.out).toBe("");
  });

  it("a patch that renames its target is OPM4004", async () => {
    const dir = variant(
      "rename",
      'patch: spec: sessionAffinity: "ClientIP"',
      'patch: metadata: name: "other"',
    );
    const res = await run(["mod", "build", dir], { env: {} });
    expect(res.code).toBe(2);
    expect(res.err).toContain("OPM4004");
    expect(res.err).toContain("changes the identity of Service web");
  });

  it("a raw object without a kind is refused by the catalog schema, naming the field", async () => {
    const dir = variant("kindless", 'kind:       "Widget"', "");
    const res = await run(["mod", "build", dir], { env: {} });
    expect(res.code).toBe(2);
    expect(res.err).toContain("component widgets: spec.rawObjects.gadget.kind: field is required");
    expect(res.out).toBe("");
  });
});

const WIDGET_CRD: Crd & Record<string, unknown> = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  spec: {
    group: "example.com",
    names: { kind: "Widget", listKind: "WidgetList", plural: "widgets", singular: "widget" },
    scope: "Namespaced",
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                properties: {
                  size: { type: "integer", minimum: 1, maximum: 10 },
                  color: { type: "string" },
                },
              },
            },
          },
        },
      },
    ],
  },
};

describe("raw objects and patches on a cluster", () => {
  beforeAll(async () => {
    await installCrds(inject("kubeconfig"), [WIDGET_CRD]);
  }, 60_000);

  it("applies a raw custom resource and the patched objects, owned by the release, then prunes them", async () => {
    const ns = `extras-${randomBytes(3).toString("hex")}`;
    const client = ClusterClient.fromKubeconfig({ paths: [inject("kubeconfig")] });
    const get = <T>(path: string) => client.json<T>("GET", path, "get");
    try {
      const applied = await run(["mod", "apply", TS, "-n", ns, "--create-namespace", "--no-wait"], {
        env: env(),
      });
      expect(applied.err).not.toContain("OPM");
      expect(applied.code).toBe(0);
      expect(applied.out).toBe(`release extras in namespace ${ns}: 4 created\n`);

      const widget = await get<{ spec: unknown; metadata: { labels: Record<string, string> } }>(
        `/apis/example.com/v1/namespaces/${ns}/widgets/gadget`,
      );
      expect(widget.spec).toEqual({ size: 3, color: "blue" });
      expect(widget.metadata.labels["module-release.opmodel.dev/name"]).toBe("extras");
      const deployment = await get<{
        spec: {
          revisionHistoryLimit: number;
          template: { spec: { terminationGracePeriodSeconds: number; containers: { args?: string[] }[] } };
        };
      }>(`/apis/apps/v1/namespaces/${ns}/deployments/web`);
      expect(deployment.spec.revisionHistoryLimit).toBe(2);
      expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(5);
      expect(deployment.spec.template.spec.containers[0]?.args).toEqual(["--quiet"]);
      const service = await get<{ spec: { sessionAffinity: string } }>(
        `/api/v1/namespaces/${ns}/services/web`,
      );
      expect(service.spec.sessionAffinity).toBe("ClientIP");

      // The CRD's schema refuses size 50: the server's dry run stops the apply, nothing changes.
      const refused = await run(["mod", "apply", TS, "-n", ns, "--set", "size=50", "--no-wait"], {
        env: env(),
      });
      expect(refused.code).not.toBe(0);
      expect(refused.err).toContain("OPM6005");
      expect(refused.err).toContain("Widget gadget");
      const unchanged = await get<{ spec: { size: number } }>(
        `/apis/example.com/v1/namespaces/${ns}/widgets/gadget`,
      );
      expect(unchanged.spec.size).toBe(3);

      // Without the widgets component, its raw objects are pruned; the patched objects stay.
      const pruned = await run(["mod", "apply", TS, "-n", ns, "--set", "widgets=false", "--no-wait"], {
        env: env(),
      });
      expect(pruned.code).toBe(0);
      expect(pruned.out).toContain("2 pruned");
      const widgets = await get<{ items: unknown[] }>(`/apis/example.com/v1/namespaces/${ns}/widgets`);
      expect(widgets.items).toEqual([]);
      const configMaps = await get<{ items: { metadata: { name: string } }[] }>(
        `/api/v1/namespaces/${ns}/configmaps`,
      );
      expect(configMaps.items.map((c) => c.metadata.name)).not.toContain("widget-settings");
      expect(
        (
          await get<{ spec: { revisionHistoryLimit: number } }>(
            `/apis/apps/v1/namespaces/${ns}/deployments/web`,
          )
        ).spec.revisionHistoryLimit,
      ).toBe(2);

      const deleted = await run(["mod", "delete", "--release-name", "extras", "-n", ns, "-y", "--no-wait"], {
        env: env(),
      });
      expect(deleted.code).toBe(0);
      const left = await get<{ items: unknown[] }>(`/apis/apps/v1/namespaces/${ns}/deployments`);
      expect(left.items).toEqual([]);
    } finally {
      client.close();
    }
  });
});
