// Release naming (docs/authoring.md, "Release naming"): two releases of one module in one
// namespace, through the real CLI against the suite's real control plane. With release-prefixed
// naming (`--release-prefix`, or `metadata.naming` in the module) each release owns objects of
// its own and is deleted without touching the other; without it the second release stops at a
// coded error naming the first, and writes nothing.
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { ClusterClient } from "../../../providers/kubernetes/cluster/client.ts";
import { run } from "../../__tests__/run.ts";

const TS = "examples/blog/blog.opm.ts";
const CUE = "examples/blog/cue";
const VALUES = ["-f", "examples/blog/values.yaml"];
const env = () => ({ KUBECONFIG: inject("kubeconfig") });
const namespace = () => `naming-${randomBytes(3).toString("hex")}`;
const scratch = mkdtempSync(join(tmpdir(), "opm-naming-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Manifest {
  kind: string;
  metadata: { name: string; labels: Record<string, string> };
  spec?: { selector?: unknown };
}

function manifests(yaml: string): Manifest[] {
  return parseAllDocuments(yaml).map((d) => d.toJS() as Manifest);
}

async function build(args: string[]): Promise<string> {
  const res = await run(["mod", "build", ...args, ...VALUES, "-n", "shop"], { env: {} });
  expect(res.err).toBe("");
  expect(res.code).toBe(0);
  return res.out;
}

describe("release-prefixed naming at render", () => {
  it("prefixes every object and reference, the same from the flag and the module setting, TS and CUE", async () => {
    const flagged = await build([CUE, "--release-name", "blue", "--release-prefix"]);
    const objects = manifests(flagged);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      "ConfigMap/blue-web-settings",
      "Deployment/blue-comments",
      "Deployment/blue-web",
      "Ingress/blue-web",
      "Service/blue-comments",
      "Service/blue-web",
    ]);
    for (const o of objects) expect(o.metadata.labels["app.kubernetes.io/instance"]).toBe("blue");
    const service = objects.find((o) => o.kind === "Service" && o.metadata.name === "blue-web")!;
    expect(service.spec?.selector).toMatchObject({ "app.kubernetes.io/instance": "blue" });
    expect(flagged).toContain("name: blue-web-settings\n");
    expect(flagged).toMatch(/service:\n\s+name: blue-web\n/);

    // The module-level setting gives the same bytes as the flag.
    const dir = join(scratch, "blog-cue");
    cpSync(CUE, dir, { recursive: true });
    const file = join(dir, "blog.cue");
    const source = readFileSync(file, "utf8");
    writeFileSync(
      file,
      source.replace('version:     "2.1.0"', 'version:     "2.1.0"\n\tnaming:      "release-prefixed"'),
    );
    expect(await build([dir, "--release-name", "blue"])).toBe(flagged);
    // The TS twin, with the flag.
    expect(await build([TS, "--release-name", "blue", "--release-prefix"])).toBe(flagged);
  });

  it("renders a module without the setting exactly as before: names and instance are the component's", async () => {
    const objects = manifests(await build([CUE, "--release-name", "blue"]));
    const web = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "web")!;
    expect(web.metadata.labels["app.kubernetes.io/instance"]).toBe("web");
  });

  it("refuses a naming value the module schema does not know, at its position", async () => {
    const dir = join(scratch, "blog-bad");
    cpSync(CUE, dir, { recursive: true });
    const file = join(dir, "blog.cue");
    const source = readFileSync(file, "utf8");
    writeFileSync(
      file,
      source.replace('version:     "2.1.0"', 'version:     "2.1.0"\n\tnaming:      "prefixed"'),
    );
    const res = await run(["mod", "build", dir], { env: {} });
    expect(res.code).not.toBe(0);
    expect(res.err).toContain("naming");
    expect(res.err).toMatch(/blog\.cue:\d+:\d+/);
  });
});

describe("two releases of one module in one namespace", () => {
  const kube = () => ClusterClient.fromKubeconfig({ paths: [inject("kubeconfig")] });

  async function names(
    client: ClusterClient,
    ns: string,
    plural: string,
    group = "api/v1",
  ): Promise<string[]> {
    const list = await client.json<{ items: { metadata: { name: string } }[] }>(
      "GET",
      `/${group}/namespaces/${ns}/${plural}`,
      "list",
    );
    return list.items.map((i) => i.metadata.name).sort();
  }

  it("live side by side with --release-prefix, and each is deleted without touching the other", async () => {
    const ns = namespace();
    const apply = (release: string, create = false) =>
      run(
        [
          "mod",
          "apply",
          TS,
          ...VALUES,
          "-n",
          ns,
          "--release-name",
          release,
          "--release-prefix",
          "--no-wait",
          ...(create ? ["--create-namespace"] : []),
        ],
        { env: env() },
      );
    const blue = await apply("blue", true);
    expect(blue.err).not.toContain("OPM");
    expect(blue.code).toBe(0);
    const green = await apply("green");
    expect(green.err).not.toContain("OPM");
    expect(green.code).toBe(0);
    expect(green.out).toBe(`release green in namespace ${ns}: 6 created\n`);

    const client = kube();
    try {
      expect(await names(client, ns, "deployments", "apis/apps/v1")).toEqual([
        "blue-comments",
        "blue-web",
        "green-comments",
        "green-web",
      ]);
      const service = await client.json<{ spec: { selector: Record<string, string> } }>(
        "GET",
        `/api/v1/namespaces/${ns}/services/green-web`,
        "get",
      );
      expect(service.spec.selector["app.kubernetes.io/instance"]).toBe("green");

      const deleted = await run(["mod", "delete", "--release-name", "blue", "-n", ns, "-y", "--no-wait"], {
        env: env(),
      });
      expect(deleted.code).toBe(0);
      expect(await names(client, ns, "deployments", "apis/apps/v1")).toEqual(["green-comments", "green-web"]);
      expect(await names(client, ns, "configmaps")).toContain("green-web-settings");
      expect(await names(client, ns, "configmaps")).not.toContain("blue-web-settings");
      const status = await run(["mod", "status", "--release-name", "green", "-n", ns], { env: env() });
      expect(status.code).toBe(0);

      const again = await run(["mod", "delete", "--release-name", "green", "-n", ns, "-y", "--no-wait"], {
        env: env(),
      });
      expect(again.code).toBe(0);
      expect(await names(client, ns, "deployments", "apis/apps/v1")).toEqual([]);
      expect(await names(client, ns, "services")).toEqual([]);
    } finally {
      client.close();
    }
  });

  it("without the prefix, the second release stops at OPM6019 naming the first, and writes nothing", async () => {
    const ns = namespace();
    const common = ["mod", "apply", TS, ...VALUES, "-n", ns, "--no-wait"];
    const blue = await run([...common, "--release-name", "blue", "--create-namespace"], { env: env() });
    expect(blue.code).toBe(0);
    const green = await run([...common, "--release-name", "green"], { env: env() });
    expect(green.code).toBe(1);
    expect(green.err).toContain("OPM6019");
    expect(green.err).toContain(`Deployment web in namespace ${ns}: belongs to release blue`);
    expect(green.err).toContain("--release-prefix");
    expect(green.err).not.toContain("--adopt");
    const client = kube();
    try {
      const secrets = await names(client, ns, "secrets");
      expect(secrets.some((s) => s.includes("green"))).toBe(false);
      const web = await client.json<{ metadata: { labels: Record<string, string> } }>(
        "GET",
        `/apis/apps/v1/namespaces/${ns}/deployments/web`,
        "get",
      );
      expect(web.metadata.labels["module-release.opmodel.dev/name"]).toBe("blue");
    } finally {
      client.close();
    }
  });
});
