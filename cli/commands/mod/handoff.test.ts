// `opm mod handoff` both ways against the suite's control plane, with a controller running in
// this process (as `opm controller run` wires it): the same inventory, the same objects (by uid),
// the field manager moved, values only by reference, the CLI refusing a controller-managed
// release; and the parity of the two renders, byte for byte.
import { randomBytes } from "node:crypto";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { RunningController } from "../../../controller/controller.ts";
import {
  eventually,
  getObject,
  getRelease,
  installCrd,
  runController,
  testClient,
} from "../../../controller/__tests__/helpers.ts";
import {
  readInventory,
  stableJson,
  type ClusterClient,
  type Inventory,
} from "../../../providers/kubernetes/cluster/index.ts";
import { listInventories } from "../../../providers/kubernetes/cluster/inventory.ts";
import { prepareRender } from "../../module/pipeline.ts";
import { Target } from "../../config/target.ts";
import { repoRoot, run, tempDir } from "../../__tests__/run.ts";
import { controllerPorts } from "../controller/render-port.ts";
import { releaseInputOf } from "./cluster-common.ts";
import { moduleOf } from "./handoff-steps.ts";

const module = "controller/__tests__/testdata/hello";
const TOKEN = "tok-9f3a1c7e55";

let client: ClusterClient;
let controller: RunningController;
const log: string[] = [];
const env = () => ({ KUBECONFIG: inject("kubeconfig") });

beforeAll(async () => {
  client = testClient();
  await installCrd(client);
  controller = await runController(client, log);
}, 120_000);

afterAll(async () => {
  await controller?.stop();
  client?.close();
});

type Live = { metadata: { uid: string; managedFields?: { manager: string; operation: string }[] } };
const deployment = (ns: string) => `/apis/apps/v1/namespaces/${ns}/deployments/web`;
const configMap = (ns: string) => `/api/v1/namespaces/${ns}/configmaps/settings`;
const appliers = (o: Live | undefined) =>
  (o?.metadata.managedFields ?? []).filter((f) => f.operation === "Apply").map((f) => f.manager);

async function inventoryOf(ns: string): Promise<Inventory> {
  const [found] = await listInventories(client, ns);
  return (await readInventory(client, found!.release))!;
}

async function cliRelease(): Promise<string> {
  const ns = `handoff-${randomBytes(3).toString("hex")}`;
  const applied = await run(
    [
      "mod",
      "apply",
      module,
      "-n",
      ns,
      "--create-namespace",
      "--set",
      "replicas=2",
      "--set",
      `token=${TOKEN}`,
      "--no-wait",
    ],
    { env: env() },
  );
  expect(applied.err).not.toMatch(/error/i);
  expect(applied.code).toBe(0);
  return ns;
}

describe("opm mod handoff", { timeout: 240_000 }, () => {
  it("hands a CLI release to the controller and back: same objects, manager moved, the CLI refused meanwhile", async () => {
    const ns = await cliRelease();
    const before = await inventoryOf(ns);
    const uids = [
      (await getObject<Live>(client, deployment(ns)))?.metadata.uid,
      (await getObject<Live>(client, configMap(ns)))?.metadata.uid,
    ];
    expect(appliers(await getObject<Live>(client, deployment(ns)))).toEqual(["opm"]);

    const handed = await run(["mod", "handoff", "--release-name", "hello", "-n", ns, "--to", "controller"], {
      env: env(),
    });
    expect(handed.err).not.toMatch(/error/i);
    expect(handed.code).toBe(0);
    expect(handed.out).toContain(`handed to the controller as ModuleRelease ${ns}/hello`);
    // The controller's first reconcile found the release as the CLI left it.
    expect(handed.out).toContain(`no object changed (change ${before.index[0]})`);

    const after = await inventoryOf(ns);
    expect(after.release).toEqual(before.release);
    expect(after.index[0]).toBe(before.index[0]);
    expect(after.managedBy).toEqual({ kind: "controller", namespace: ns, name: "hello" });
    const dep = await getObject<Live>(client, deployment(ns));
    expect([dep?.metadata.uid, (await getObject<Live>(client, configMap(ns)))?.metadata.uid]).toEqual(uids);
    expect(appliers(dep)).toEqual(["opm-controller"]);
    const mr = (await getRelease(client, ns, "hello"))!;
    expect(mr.status?.lastApplied?.changeId).toBe(before.index[0]);
    // Values by reference only: the token is in the Secret, not in the resource.
    expect(JSON.stringify(mr.spec)).not.toContain(TOKEN);
    expect(mr.spec).toMatchObject({
      valuesFrom: [{ secretKeyRef: { name: "hello-values", key: "values.json" } }],
    });
    const secret = await getObject<{ metadata: { ownerReferences?: { uid: string }[] } }>(
      client,
      `/api/v1/namespaces/${ns}/secrets/hello-values`,
    );
    expect(secret?.metadata.ownerReferences?.[0]?.uid).toBe(mr.metadata.uid);

    // The CLI does not fight the controller.
    const apply = await run(["mod", "apply", module, "-n", ns, "--set", "replicas=3", "--no-wait"], {
      env: env(),
    });
    expect(apply.code).toBe(1);
    expect(apply.err).toContain("OPM6020");
    expect(apply.err).toContain(`managed by the controller (ModuleRelease ${ns}/hello)`);
    expect(apply.err).toContain("--to cli");
    const del = await run(["mod", "delete", "--release-name", "hello", "-n", ns, "-y"], { env: env() });
    expect(del.code).toBe(1);
    expect(del.err).toContain("OPM6020");
    expect((await getObject<{ spec: { replicas: number } }>(client, deployment(ns)))?.spec.replicas).toBe(2);
    const again = await run(["mod", "handoff", "--release-name", "hello", "-n", ns, "--to", "controller"], {
      env: env(),
    });
    expect(again.code).toBe(1);
    expect(again.err).toContain("OPM9704");

    const back = await run(
      ["mod", "handoff", "--release-name", "hello", "-n", ns, "--to", "cli", "-o", "yaml"],
      {
        env: env(),
      },
    );
    expect(back.err).not.toMatch(/error/i);
    expect(back.code).toBe(0);
    // -o yaml: the outcome as data, and nothing else on stdout.
    expect(parseYaml(back.out)).toEqual({
      to: "cli",
      release: { name: "hello", namespace: ns },
      moduleRelease: { name: "hello", namespace: ns },
      moduleReleaseDeleted: true,
      change: before.index[0],
    });
    await eventually("the ModuleRelease gone", async () =>
      (await getRelease(client, ns, "hello")) === undefined ? true : undefined,
    );
    const returned = await inventoryOf(ns);
    expect(returned.managedBy).toBeUndefined();
    expect(returned.index[0]).toBe(before.index[0]);
    const home = await getObject<Live>(client, deployment(ns));
    expect(home?.metadata.uid).toBe(uids[0]);
    expect(appliers(home)).toEqual(["opm"]);
    // The CLI's again: the same apply is no change, and a new one goes through.
    const same = await run(
      ["mod", "apply", module, "-n", ns, "--set", "replicas=2", "--set", `token=${TOKEN}`, "--no-wait"],
      { env: env() },
    );
    expect(same.code).toBe(0);
    expect(same.out).toContain("no changes");
    expect(appliers(await getObject<Live>(client, deployment(ns)))).toEqual(["opm"]);
  });

  it("apply --force-takeover takes a release from the controller, which then leaves it alone", async () => {
    const ns = await cliRelease();
    const change = (await inventoryOf(ns)).index[0];
    const handed = await run(
      ["mod", "handoff", "--release-name", "hello", "-n", ns, "--to", "controller", "-o", "json"],
      { env: env() },
    );
    expect(handed.code).toBe(0);
    // -o json: the outcome as one document, the same content -o yaml prints.
    expect(JSON.parse(handed.out)).toEqual({
      to: "controller",
      release: { name: "hello", namespace: ns },
      moduleRelease: { name: "hello", namespace: ns },
      valuesSecret: "hello-values",
      change,
      controllerChange: change,
      reconciled: { changeId: change, changed: false },
    });
    const taken = await run(
      [
        "mod",
        "apply",
        module,
        "-n",
        ns,
        "--set",
        "replicas=3",
        "--no-wait",
        "--force-takeover",
        "--force-conflicts",
      ],
      { env: env() },
    );
    expect(taken.err).toContain(`took release hello over from the controller (ModuleRelease ${ns}/hello)`);
    expect(taken.code).toBe(0);
    expect((await inventoryOf(ns)).managedBy).toBeUndefined();
    const waiting = await eventually("the ModuleRelease reports ManagedExternally", async () => {
      const r = await getRelease(client, ns, "hello");
      const ready = r?.status?.conditions?.find((c) => c.type === "Ready");
      return ready?.reason === "ManagedExternally" ? ready : undefined;
    });
    expect(waiting.message).toContain("managed by the CLI");
    // Deleting the ModuleRelease now leaves the CLI's objects.
    await client.json(
      "DELETE",
      `/apis/opmodel.dev/v1alpha1/namespaces/${ns}/modulereleases/hello`,
      "deleting",
    );
    await eventually("the ModuleRelease gone", async () =>
      (await getRelease(client, ns, "hello")) === undefined ? true : undefined,
    );
    expect((await getObject<{ spec: { replicas: number } }>(client, deployment(ns)))?.spec.replicas).toBe(3);
  });

  it("hands over a release-prefixed release: the ModuleRelease carries the naming and the provider", async () => {
    const ns = `handoff-${randomBytes(3).toString("hex")}`;
    const prefixed = await run(
      [
        "mod",
        "apply",
        module,
        "-n",
        ns,
        "--create-namespace",
        "--release-name",
        "other",
        "--release-prefix",
        "--set",
        "replicas=1",
        "--no-wait",
      ],
      { env: env() },
    );
    expect(prefixed.code).toBe(0);
    const before = await inventoryOf(ns);
    const uid = (await getObject<Live>(client, `/apis/apps/v1/namespaces/${ns}/deployments/other-web`))
      ?.metadata.uid;
    expect(uid).toBeDefined();
    const handed = await run(
      ["mod", "handoff", "--release-name", "other", "-n", ns, "--to", "controller", "-o", "json"],
      { env: env() },
    );
    expect(handed.err).not.toMatch(/error/i);
    expect(handed.code).toBe(0);
    expect(JSON.parse(handed.out)).toMatchObject({
      change: before.index[0],
      controllerChange: before.index[0],
      reconciled: { changeId: before.index[0], changed: false },
    });
    const mr = (await getRelease(client, ns, "other"))!;
    expect(mr.spec).toMatchObject({ naming: "release-prefixed", provider: "kubernetes" });
    const dep = await getObject<Live>(client, `/apis/apps/v1/namespaces/${ns}/deployments/other-web`);
    expect(dep?.metadata.uid).toBe(uid);
    expect(appliers(dep)).toEqual(["opm-controller"]);
    // Nothing named without the prefix appeared.
    expect(await getObject(client, deployment(ns))).toBeUndefined();
  });

  it("refuses: a release the controller would render differently, one not found, one already the CLI's", async () => {
    const ns = await cliRelease();
    // Changed on the cluster by hand is not a render difference; a module changed since its
    // apply is: the controller would render the module as it is now.
    const alone = `handoff-${randomBytes(3).toString("hex")}`;
    const copy = tempDir("opm-handoff-module-");
    cpSync(join(repoRoot, module), copy, { recursive: true });
    const applied = await run(
      ["mod", "apply", copy, "-n", alone, "--create-namespace", "--release-name", "other", "--no-wait"],
      { env: env() },
    );
    expect(applied.code).toBe(0);
    const source = join(copy, "hello.cue");
    writeFileSync(source, readFileSync(source, "utf8").replace('"nginx:1.27"', '"nginx:1.28"'));
    const differs = await run(
      ["mod", "handoff", "--release-name", "other", "-n", alone, "--to", "controller"],
      { env: env(), cwd: copy },
    );
    expect(differs.code).toBe(1);
    expect(differs.err).toContain("OPM9704");
    expect(differs.err).toContain("the controller would not render what release other has");
    expect(await getRelease(client, alone, "other")).toBeUndefined();
    expect((await inventoryOf(alone)).managedBy).toBeUndefined();
    const missing = await run(["mod", "handoff", "--release-name", "nope", "-n", ns, "--to", "controller"], {
      env: env(),
    });
    expect(missing.code).toBe(5);
    expect(missing.err).toContain("OPM6011");
    const cli = await run(["mod", "handoff", "--release-name", "hello", "-n", ns, "--to", "cli"], {
      env: env(),
    });
    expect(cli.code).toBe(1);
    expect(cli.err).toContain("already managed by the CLI");
  });
});

describe("render parity: the CLI and the controller", () => {
  it.each([
    ["the module's naming", undefined],
    ["release-prefixed (--release-prefix, spec.naming)", "release-prefixed" as const],
  ])(
    "render the same release byte for byte from the module and the values the handoff stores: %s",
    async (_, naming) => {
      const values = { replicas: 2, message: "parity", token: TOKEN, extra: true };
      const env = { HOME: tempDir("opm-home-") };
      const cli = await prepareRender(
        {
          path: module,
          values: [],
          valuesData: [{ name: "values", data: values }],
          set: [],
          target: Target.of({ namespace: "parity" }, env, repoRoot),
          releaseName: "hello",
          ...(naming === undefined ? {} : { naming }),
          strict: false,
          moduleOutput: new PassThrough(),
        },
        repoRoot,
        env,
      );
      const cliInput = releaseInputOf(cli.result);
      const source = await moduleOf({
        id: "x",
        module: { fqn: "", version: "" },
        manifestDigest: "",
        valuesDigest: "",
        timestamp: "",
        entries: [],
        source: { kind: "local", module: `${repoRoot}${module}` },
      });
      const home = tempDir("opm-ctrl-home-");
      // Twice through one controller's ports: the second render fills the module it kept loaded.
      const ports = controllerPorts({ env: { HOME: home }, cwd: home, moduleOutput: new PassThrough() });
      const renderHere = async () =>
        (
          await ports.render({
            module: source.source,
            values: undefined,
            documents: [{ name: "Secret hello-values key values.json", data: cliInput.values }],
            set: [],
            namespace: "parity",
            releaseName: "hello",
            naming,
          })
        ).input;
      const [controllerInput, again] = await (async () => {
        try {
          return [await renderHere(), await renderHere()];
        } finally {
          await ports.close?.();
        }
      })();
      const objects = (input: typeof cliInput) => input.resources.map((r) => stableJson(r.object)).join("\n");
      expect(controllerInput.resources.length).toBeGreaterThan(0);
      expect(objects(controllerInput)).toBe(objects(cliInput));
      expect(objects(again)).toBe(objects(cliInput));
      expect(stableJson(controllerInput.values)).toBe(stableJson(cliInput.values));
      expect(controllerInput.release.identity).toBe(cliInput.release.identity);
      const names = controllerInput.resources.map(
        (r) => (r.object as { metadata: { name: string } }).metadata.name,
      );
      expect(names.every((n) => n.startsWith("hello-"))).toBe(naming === "release-prefixed");
    },
  );
});
