// Interfaces wired at render (docs/interfaces.md): inside a module, across releases through the
// provisions ConfigMap a release publishes, and every way wiring can fail, each with its code.
// The modules are real TS modules rendered by the Kubernetes provider.
import { describe, expect, it } from "vitest";
import { Container, Expose, HttpServer, Postgres, Redis } from "../../catalog/index.ts";
import { component, defineModule, provides, requiring, secret, workloadType, z } from "../../dsl/index.ts";
import { kubernetesProvider } from "../../providers/kubernetes/index.ts";
import type { ExternalProvision } from "./interfaces.ts";
import { provisionsFromConfigMaps, type ProvisionsConfigMap } from "./provisions.ts";
import { render, type RenderOptions } from "./render.ts";

const dbConfig = z.object({
  db: z.object({ name: z.string(), user: z.string(), password: secret({ name: "db", key: "password" }) }),
});
const dbValues = { db: { name: "shop", user: "shop", password: { value: "not-shown-anywhere" } } };
type DbConfig = z.output<typeof dbConfig>;

const database = (cfg: DbConfig) =>
  component(
    workloadType("stateful"),
    Container({
      name: "postgres",
      image: "postgres:17",
      env: { POSTGRES_PASSWORD: { from: cfg.db.password } },
    }),
    Expose({ type: "ClusterIP", ports: { pg: { targetPort: 5432 } } }),
    provides({ db: Postgres({ dbName: cfg.db.name, username: cfg.db.user, password: cfg.db.password }) }),
  );

const api = requiring({ db: Postgres }, ({ db }) =>
  component(
    workloadType("stateless"),
    Container({
      name: "api",
      image: "api:1.0.0",
      env: {
        DB_URL: { value: `postgres://${db.username}@${db.host}:${db.port}/${db.dbName}` },
        DB_PASSWORD: { from: db.password },
      },
    }),
    Expose({ type: "ClusterIP", ports: { http: { targetPort: 8080 } } }),
    provides({ http: HttpServer({ port: 8080 }) }),
  ),
);

const metadata = (name: string) => ({ apiVersion: "example.com/modules@v0", name, version: "0.1.0" });

const shop = defineModule({
  metadata: metadata("shop"),
  config: dbConfig,
  values: dbValues,
  components: (cfg) => ({ database: database(cfg), api }),
});

const consumer = defineModule({
  metadata: metadata("consumer"),
  config: z.object({}),
  values: {},
  components: () => ({ api }),
});

async function rendered(options: Omit<RenderOptions, "provider">) {
  return render({ provider: kubernetesProvider, namespace: "shop", ...options });
}

type Obj = { kind: string; metadata: { name: string }; spec?: unknown; data?: Record<string, string> };
const objectsOf = (result: Awaited<ReturnType<typeof rendered>>) =>
  result.resources.map((r) => r.object as Obj);

function envOf(result: Awaited<ReturnType<typeof rendered>>, deployment: string): unknown {
  const d = objectsOf(result).find((o) => o.kind === "Deployment" && o.metadata.name === deployment);
  return (d?.spec as { template: { spec: { containers: { env: unknown }[] } } }).template.spec.containers[0]!
    .env;
}

/** The provisions other releases would read from the cluster: the release's published ConfigMap. */
function published(result: Awaited<ReturnType<typeof rendered>>): ProvisionsConfigMap[] {
  return objectsOf(result).filter(
    (o) => o.kind === "ConfigMap" && o.metadata.name.endsWith("opm-provides"),
  ) as unknown as ProvisionsConfigMap[];
}

describe("interfaces inside a module", () => {
  it("gives the consumer the provider's Service DNS name, port, fields and the secret as a secretKeyRef", async () => {
    const result = await rendered({ module: shop });
    expect(result.errors.map(String)).toEqual([]);
    expect(envOf(result, "api")).toEqual([
      { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
      { name: "DB_URL", value: "postgres://shop@database.shop.svc.cluster.local:5432/shop" },
    ]);
    expect(result.wiring).toEqual({
      provides: [
        {
          component: "api",
          local: "http",
          interface: "opmodel.dev/interfaces/network@v0#HttpServer",
          host: "api.shop.svc.cluster.local",
          port: 8080,
        },
        {
          component: "database",
          local: "db",
          interface: "opmodel.dev/interfaces/data@v0#Postgres",
          host: "database.shop.svc.cluster.local",
          port: 5432,
        },
      ],
      wires: [
        {
          component: "api",
          local: "db",
          interface: "opmodel.dev/interfaces/data@v0#Postgres",
          provider: { component: "database", local: "db" },
          host: "database.shop.svc.cluster.local",
          port: 5432,
        },
      ],
    });
  });

  it("publishes what the release provides without secret values, and names hosts by the release when prefixed", async () => {
    const result = await rendered({ module: shop, name: "blue", naming: "release-prefixed" });
    expect(result.errors.map(String)).toEqual([]);
    expect((envOf(result, "blue-api") as { value?: string }[])[1]!.value).toBe(
      "postgres://shop@blue-database.shop.svc.cluster.local:5432/shop",
    );
    const [configMap] = published(result);
    expect((configMap as unknown as Obj).metadata.name).toBe("blue-opm-provides");
    expect(JSON.stringify(configMap)).not.toContain("not-shown-anywhere");
    expect(JSON.parse(configMap!.data!["database.db"]!)).toEqual({
      interface: "opmodel.dev/interfaces/data@v0#Postgres",
      value: {
        dbName: "shop",
        host: "blue-database.shop.svc.cluster.local",
        password: {
          $dataKey: "password",
          $opm: "secret",
          $secretName: "db",
          remoteKey: "password",
          secretName: "blue-db",
        },
        port: 5432,
        username: "shop",
      },
    });
  });

  it("renders nothing for the interfaces of a module that provides none", async () => {
    const plain = defineModule({
      metadata: metadata("plain"),
      config: z.object({}),
      values: {},
      components: () => ({
        web: component(workloadType("stateless"), Container({ name: "web", image: "nginx:1.27" })),
      }),
    });
    const result = await rendered({ module: plain });
    expect(result.errors).toEqual([]);
    expect(result.wiring).toEqual({ provides: [], wires: [] });
    expect(objectsOf(result).map((o) => o.kind)).toEqual(["Deployment"]);
  });
});

describe("interfaces across releases", () => {
  it("wires a requirement to what another release in the namespace published", async () => {
    const provider = await rendered({ module: shop, name: "shop" });
    const provisions = provisionsFromConfigMaps(published(provider), "consumer");
    const result = await rendered({ module: consumer, provisions });
    expect(result.errors.map(String)).toEqual([]);
    // The password is read from the providing release's Secret, never copied.
    expect(envOf(result, "api")).toEqual([
      { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
      { name: "DB_URL", value: "postgres://shop@database.shop.svc.cluster.local:5432/shop" },
    ]);
    expect(result.wiring.wires).toEqual([
      {
        component: "api",
        local: "db",
        interface: "opmodel.dev/interfaces/data@v0#Postgres",
        provider: { release: "shop", component: "database", local: "db" },
        host: "database.shop.svc.cluster.local",
        port: 5432,
      },
    ]);
    // The consumer renders no Secret of its own for the provider's password.
    expect(objectsOf(result).filter((o) => o.kind === "Secret")).toEqual([]);
  });

  it("reads no provisions of the release being rendered", async () => {
    const provider = await rendered({ module: shop, name: "shop" });
    expect(provisionsFromConfigMaps(published(provider), "shop")).toEqual([]);
    expect(
      provisionsFromConfigMaps(published(provider), "other").map(
        (p) => `${p.release}/${p.component}.${p.local}`,
      ),
    ).toEqual(["shop/api.http", "shop/database.db"]);
  });

  it("prefers the module's own provider to another release's", async () => {
    const external: ExternalProvision = {
      release: "elsewhere",
      component: "pg",
      local: "db",
      interface: Postgres.metadata.fqn,
      value: { host: "pg.shop.svc.cluster.local", port: 5432, dbName: "x", username: "x" },
    };
    const result = await rendered({ module: shop, provisions: [external] });
    expect(result.errors.map(String)).toEqual([]);
    expect(result.wiring.wires[0]!.provider).toEqual({ component: "database", local: "db" });
  });
});

describe("wiring errors", () => {
  it("OPM3301 when nothing provides a required interface, saying whether a cluster was consulted", async () => {
    const offline = await rendered({ module: consumer });
    expect(offline.errors.map((e) => e.code)).toEqual(["OPM3301"]);
    expect(offline.errors[0]!.message).toBe(
      'component api requires postgres (opmodel.dev/interfaces/data@v0#Postgres) as "db", but no other component of the module provides it and no cluster was consulted for other releases',
    );
    expect(offline.errors[0]!.hint).toContain("--kubeconfig");
    expect(offline.resources).toEqual([]);
    const online = await rendered({ module: consumer, provisions: [] });
    expect(online.errors[0]!.message).toContain("no other release in namespace shop provides it");
  });

  it("OPM3301 when only other interfaces are provided", async () => {
    const redisOnly: ExternalProvision = {
      release: "cache",
      component: "redis",
      local: "cache",
      interface: Redis.metadata.fqn,
      value: { host: "redis.shop.svc.cluster.local", port: 6379, db: 0 },
    };
    const result = await rendered({ module: consumer, provisions: [redisOnly] });
    expect(result.errors.map((e) => e.code)).toEqual(["OPM3301"]);
  });

  it("OPM3302 when two components, or two other releases, provide it", async () => {
    const twice = defineModule({
      metadata: metadata("twice"),
      config: dbConfig,
      values: dbValues,
      components: (cfg) => ({ primary: database(cfg), replica: database(cfg), api }),
    });
    const inModule = await rendered({ module: twice });
    expect(inModule.errors.map((e) => e.code)).toEqual(["OPM3302"]);
    expect(inModule.errors[0]!.message).toContain(
      "and 2 provide it: component primary (as db), component replica (as db)",
    );
    const provider = published(await rendered({ module: shop, name: "one" }));
    const other = published(await rendered({ module: shop, name: "two", naming: "release-prefixed" }));
    const provisions = provisionsFromConfigMaps([...provider, ...other], "consumer");
    const across = await rendered({ module: consumer, provisions });
    expect(across.errors.map((e) => e.code)).toEqual(["OPM3302"]);
    expect(across.errors[0]!.message).toContain(
      "release one component database (as db), release two component database (as db)",
    );
  });

  it("OPM3303 when a provider's values break the interface's shape", async () => {
    const broken = defineModule({
      metadata: metadata("broken"),
      config: z.object({}),
      values: {},
      components: () => ({
        web: component(
          workloadType("stateless"),
          Container({ name: "web", image: "nginx:1.27" }),
          // @ts-expect-error port must be a number: the check at render catches what types cannot (CUE, casts)
          provides({ http: HttpServer({ port: "eighty" }) }),
        ),
      }),
    });
    const result = await rendered({ module: broken });
    expect(result.errors.map((e) => e.code)).toEqual(["OPM3303"]);
    expect(result.errors[0]!.message).toMatch(/^component web provides http-server as "http": port: /);
  });

  it("a module may not name a component opm-provides when it provides interfaces", async () => {
    const taken = defineModule({
      metadata: metadata("taken"),
      config: dbConfig,
      values: dbValues,
      components: (cfg) => ({ "opm-provides": database(cfg) }),
    });
    const result = await rendered({ module: taken });
    expect(result.errors.map((e) => e.message)).toEqual([
      "module taken: component name opm-provides is taken by the interfaces the module provides",
    ]);
  });

  it("types what a consumer reads by the interface's shape", () => {
    requiring({ web: HttpServer }, ({ web }) => {
      const port: number = web.port;
      const host: string = web.host;
      // @ts-expect-error an http-server has no dbName
      void web.dbName;
      return component(Container({ name: "x", image: `x:${host}${port}` }), workloadType("stateless"));
    });
  });
});

describe("interfaces order the stage plan", () => {
  it("puts a consumer's objects after its provider's, saying which interface it waits for", async () => {
    const result = await rendered({ module: shop });
    expect(result.errors.map(String)).toEqual([]);
    const stageOf = (kind: string, name: string) =>
      result.resources.find((r) => r.object.kind === kind && r.object.metadata?.name === name)!.stage!;
    expect(stageOf("Deployment", "api")).toBeGreaterThan(stageOf("StatefulSet", "database"));
    expect(stageOf("Deployment", "api")).toBeGreaterThan(stageOf("Service", "database"));
    const api = result.stages.stages
      .flatMap((s) => s.objects)
      .find((o) => o.ref.kind === "Deployment" && o.ref.name === "api")!;
    expect(api.after).toContainEqual({ reason: "interface", component: "database" });
  });

  it("adds no edge for a provider in another release: it is on the cluster already", async () => {
    const provider = await rendered({ module: shop, name: "shop" });
    const result = await rendered({
      module: consumer,
      provisions: provisionsFromConfigMaps(published(provider), "consumer"),
    });
    expect(result.errors.map(String)).toEqual([]);
    expect(result.stages.stages.flatMap((s) => s.objects).flatMap((o) => o.after)).toEqual([]);
  });

  it("OPM3020 when two components require what the other provides", async () => {
    const ping = requiring({ peer: HttpServer }, ({ peer }) =>
      component(
        workloadType("stateless"),
        Container({ name: "ping", image: "ping:1", env: { PEER: { value: peer.host } } }),
        Expose({ type: "ClusterIP", ports: { http: { targetPort: 80 } } }),
        provides({ http: HttpServer({ port: 80 }) }),
      ),
    );
    const loop = defineModule({
      metadata: metadata("loop"),
      config: z.object({}),
      values: {},
      components: () => ({ a: ping, b: ping }),
    });
    const result = await rendered({ module: loop });
    const cycle = result.errors.find((e) => e.code === "OPM3020");
    expect(cycle).toBeDefined();
    // The hint names what the cycle is made of: requirements here, no dependsOn anywhere.
    expect(cycle!.hint).toBe(
      "remove one of these interface requirements (or the reference that closes the cycle)",
    );
  });
});
