// The CUE catalog evaluates modules written for the upstream v0 catalog, through our own CUE
// engine: mixins, `#config` wiring, the release's identities and labels, blueprint labels
// reaching the component (the upstream defect we fixed), and closedness of `spec`.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCueEngine, type CueEngine, type CueValue } from "../bridge/index.ts";
import { catalogOverlay, OVERLAY_ROOT } from "../bridge/codegen/extract.ts";
import { readCatalogSources } from "../bridge/codegen/node-io.ts";
import { component } from "../dsl/index.ts";
import { toComponent } from "../dsl/component.ts";
import { expandComponent, moduleIdentity, releaseIdentity } from "../sdk/index.ts";
import { StatelessWorkload } from "./index.ts";

const blog = readFileSync(new URL("./testdata/upstream-style/blog.cue", import.meta.url), "utf8");

describe("an upstream-style CUE module against our catalog", () => {
  let engine: CueEngine;
  let root: CueValue;

  beforeAll(async () => {
    engine = createCueEngine();
    const overlay = catalogOverlay(await readCatalogSources(), { "blog.cue": blog });
    root = (await engine.load({ dir: OVERLAY_ROOT, overlay })).value;
  }, 60_000);
  afterAll(async () => {
    await engine.close();
  });

  it("binds values into #config and computes identities as the TS sdk does", async () => {
    const metadata = (await engine.export(root, { path: "release.metadata" })) as Record<string, unknown>;
    const fqn = "example.com/modules@v0#Blog";
    expect(metadata["identity"]).toBe(releaseIdentity(fqn, "blog", "web"));
    expect(metadata["labels"]).toMatchObject({
      "module.opmodel.dev/uuid": moduleIdentity(fqn, "0.1.0"),
      "module-release.opmodel.dev/name": "blog",
    });
    const web = (await engine.export(root, { path: "release.components.web" })) as {
      metadata: unknown;
      spec: Record<string, unknown>;
    };
    expect(web.metadata).toEqual({
      name: "web",
      labels: {
        "core.opmodel.dev/workload-type": "stateless",
        "component.opmodel.dev/name": "web",
        // From the Scaling trait, as upstream.
        "core.opmodel.dev/category": "workload",
      },
      annotations: { "transformer.opmodel.dev/list-output": true },
    });
    expect(web.spec["scaling"]).toEqual({ count: 3 });
    expect(web.spec["volumes"]).toEqual({
      images: {
        name: "images",
        persistentClaim: { size: "5Gi", accessMode: "ReadWriteOnce" },
      },
    });
    expect(web.spec["container"]).toMatchObject({
      image: "ghost:5.96",
      imagePullPolicy: "IfNotPresent",
      ports: { http: { name: "http", targetPort: 2368, protocol: "TCP" } },
    });
  });

  it("gives a blueprint's component the blueprint's workload type", async () => {
    const labels = await engine.export(root, { path: "release.components.comments.metadata.labels" });
    expect(labels).toEqual({
      "core.opmodel.dev/category": "workload",
      "core.opmodel.dev/workload-type": "stateless",
      "component.opmodel.dev/name": "comments",
    });
    const spec = (await engine.export(root, { path: "release.components.comments.spec" })) as Record<
      string,
      unknown
    >;
    expect(spec["container"]).toMatchObject({ name: "comments", image: "remark42:1" });
    expect(spec["scaling"]).toEqual({ count: 3 });
  });

  it("expands a blueprint in TS to the same trait specs CUE computes", async () => {
    const cue = (await engine.export(root, { path: "release.components.comments.spec" })) as Record<
      string,
      unknown
    >;
    const draft = component(
      StatelessWorkload({ container: { name: "comments", image: "remark42:1" }, scaling: { count: 3 } }),
    );
    const ts = expandComponent(toComponent(draft, "comments")).component.spec;
    const traitsOnly = (spec: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(spec).filter(([k]) => k !== "container" && k !== "statelessWorkload"),
      );
    expect(traitsOnly({ ...ts })).toEqual(traitsOnly(cue));
  });

  it("rejects a spec field no primitive declares, and values outside #config", async () => {
    const extraSpec = await engine.fill(root, "blog.#components.web.spec.replicas", { json: 2 });
    const report = await engine.validate(extraSpec);
    expect(report.ok).toBe(false);
    const badValues = await engine.fill(root, "release.values.colour", { json: "red" });
    expect((await engine.validate(badValues)).ok).toBe(false);
  });
});
