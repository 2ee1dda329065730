// Interfaces through the CLI, in process (docs/interfaces.md): the wiring `mod vet` shows (text
// and -o json), an unfulfilled requirement as a positioned OPM3301 in TS and CUE, and wiring
// across releases on the suite's real control plane: `examples/interfaces` applied as one
// release provides postgres, and the `orders` module (TS and its CUE twin) applied as another
// release in the namespace is wired to it; without the provider, or with two, vet says so.
import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { ClusterClient } from "../../../providers/kubernetes/cluster/client.ts";
import { run } from "../../__tests__/run.ts";

const PROVIDER = "examples/interfaces/interfaces.opm.ts";
const ORDERS_TS = "cli/testdata/orders/orders.opm.ts";
const ORDERS_CUE = "cli/testdata/orders/cue";
const env = () => ({ KUBECONFIG: inject("kubeconfig") });
const kubeconfig = () => ["--kubeconfig", inject("kubeconfig")];

describe("mod vet shows the wiring", () => {
  it("lists what the release provides and where each requirement is wired, in text and JSON", async () => {
    const text = await run(["mod", "vet", PROVIDER], { env: {} });
    expect(text.err).toBe("");
    expect(text.code).toBe(0);
    expect(text.out).toContain("✔ Every required interface is provided\n");
    expect(text.out).toContain(
      [
        "interfaces",
        "  provides api.http HttpServer at api.shop.svc.cluster.local:8080",
        "  provides database.db Postgres at database.shop.svc.cluster.local:5432",
        "  ✔ api.db requires Postgres <- database.db at database.shop.svc.cluster.local:5432",
        "  ✔ web.api requires HttpServer <- api.http at api.shop.svc.cluster.local:8080",
      ].join("\n"),
    );
    const json = await run(["mod", "vet", PROVIDER, "-o", "json"], { env: {} });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out) as { wiring: { wires: { component: string; host: string }[] } };
    expect(report.wiring.wires.map((w) => `${w.component} ${w.host}`)).toEqual([
      "api database.shop.svc.cluster.local",
      "web api.shop.svc.cluster.local",
    ]);
    // No secret value reaches the report.
    expect(json.out).not.toContain("change-me-in-values");
  });
});

describe.each([
  ["TS", ORDERS_TS, /orders\/orders\.opm\.ts:12:5\n/],
  ["CUE", ORDERS_CUE, /orders\/cue\/orders\.cue:27:12\n/],
])("a requirement nothing provides (%s)", (_language, module, position) => {
  it("is OPM3301 at the requirement, exit 2, the later checks skipped", async () => {
    const { code, out, err } = await run(["mod", "vet", module], { env: {} });
    expect(code).toBe(2);
    expect(out).toContain(
      "✘ Every required interface is provided\n- Every component matches a transformer\n",
    );
    expect(err).toContain(
      'error OPM3301: component orders requires postgres (opmodel.dev/interfaces/data@v0#Postgres) as "db", but no other component of the module provides it and no cluster was consulted for other releases',
    );
    expect(err).toMatch(position);
    const build = await run(["mod", "build", module], { env: {} });
    expect(build.code).toBe(2);
    expect(build.out).toBe("");
  });
});

describe("interfaces across releases on a cluster", () => {
  const kube = () => ClusterClient.fromKubeconfig({ paths: [inject("kubeconfig")] });

  it("wires a release to the one that provides its interface, and says when none or two do", async () => {
    const ns = `ifc-${randomBytes(3).toString("hex")}`;
    const provider = await run(["mod", "apply", PROVIDER, "-n", ns, "--create-namespace", "--no-wait"], {
      env: env(),
    });
    expect(provider.err).not.toContain("OPM");
    expect(provider.code).toBe(0);

    // vet consults the cluster when it is named, and shows the other release as the provider.
    for (const module of [ORDERS_TS, ORDERS_CUE]) {
      const vet = await run(["mod", "vet", module, "-n", ns, ...kubeconfig()], { env: {} });
      expect(vet.err).toBe("");
      expect(vet.code).toBe(0);
      expect(vet.out).toContain(
        `  ✔ orders.db requires Postgres <- release interfaces database.db at database.${ns}.svc.cluster.local:5432\n`,
      );
    }

    // apply always may: the consumer's Deployment reads the provider's host and its Secret.
    const orders = await run(["mod", "apply", ORDERS_CUE, "-n", ns, "--no-wait"], { env: env() });
    expect(orders.err).not.toContain("OPM");
    expect(orders.code).toBe(0);
    const client = kube();
    try {
      const deployment = await client.json<{
        spec: { template: { spec: { containers: { env: unknown[] }[] } } };
      }>("GET", `/apis/apps/v1/namespaces/${ns}/deployments/orders`, "get");
      expect(deployment.spec.template.spec.containers[0]!.env).toEqual([
        { name: "DB_HOST", value: `database.${ns}.svc.cluster.local` },
        { name: "DB_NAME", value: "shop" },
        { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
        { name: "DB_PORT", value: "5432" },
      ]);
    } finally {
      client.close();
    }
    // The TS twin renders the very same objects: nothing to change.
    const diff = await run(["mod", "diff", ORDERS_TS, "-n", ns], { env: env() });
    expect(diff.err).not.toContain("OPM");
    expect(diff.code).toBe(0);

    // A second provider of postgres in the namespace makes the requirement ambiguous.
    const second = await run(
      ["mod", "apply", PROVIDER, "-n", ns, "--release-name", "spare", "--release-prefix", "--no-wait"],
      { env: env() },
    );
    expect(second.code).toBe(0);
    const ambiguous = await run(["mod", "vet", ORDERS_TS, "-n", ns, ...kubeconfig()], { env: {} });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err).toContain(
      'error OPM3302: component orders requires postgres (opmodel.dev/interfaces/data@v0#Postgres) as "db", and 2 provide it: release interfaces component database (as db), release spare component database (as db)',
    );

    // Without any provider, the requirement is unfulfilled, naming the namespace looked in.
    for (const release of ["interfaces", "spare"]) {
      const deleted = await run(["mod", "delete", "--release-name", release, "-n", ns, "-y", "--no-wait"], {
        env: env(),
      });
      expect(deleted.code).toBe(0);
    }
    const orphan = await run(["mod", "vet", ORDERS_CUE, "-n", ns, ...kubeconfig()], { env: {} });
    expect(orphan.code).toBe(2);
    expect(orphan.err).toContain(`no other release in namespace ${ns} provides it`);
  }, 240_000);
});
