// Interfaces between components (docs/interfaces.md): the database provides `postgres`, the API
// requires it and provides `http-server`, the web front end requires that. Neither consumer
// names the other component: each reads the wired values (`db.host` is the database Service's
// DNS name, `db.password` a secret reached through a secretKeyRef), and the release publishes
// what it provides in the ConfigMap `interfaces-opm-provides` for other releases in the namespace.
import { z } from "zod";
import { Container, Expose, HttpServer, Postgres, StatelessWorkload } from "@opm/sdk/catalog";
import { component, defineModule, provides, requiring, secret, workloadType } from "@opm/sdk/dsl";

const config = z.object({
  registry: z.string(),
  db: z.object({
    name: z.string(),
    user: z.string(),
    password: secret({ name: "db", key: "password" }),
  }),
});

export default defineModule({
  metadata: {
    apiVersion: "example.com/modules@v0",
    name: "interfaces",
    version: "0.1.0",
    description: "A database, an API and a web front end wired by interfaces",
    defaultNamespace: "shop",
  },
  config,
  values: {
    registry: "registry.example.com/shop",
    db: { name: "shop", user: "shop", password: { value: "change-me-in-values" } },
  },
  components: (cfg) => ({
    database: component(
      workloadType("stateful"),
      Container({
        name: "postgres",
        image: "postgres:17",
        ports: { pg: { targetPort: 5432 } },
        env: {
          POSTGRES_DB: { value: cfg.db.name },
          POSTGRES_USER: { value: cfg.db.user },
          POSTGRES_PASSWORD: { from: cfg.db.password },
        },
      }),
      Expose({ type: "ClusterIP", ports: { pg: { targetPort: 5432 } } }),
      provides({ db: Postgres({ dbName: cfg.db.name, username: cfg.db.user, password: cfg.db.password }) }),
    ),
    api: requiring({ db: Postgres }, ({ db }) =>
      component(
        workloadType("stateless"),
        Container({
          name: "api",
          image: `${cfg.registry}/api:1.0.0`,
          ports: { http: { targetPort: 8080 } },
          env: {
            DB_HOST: { value: db.host },
            DB_PORT: { value: String(db.port) },
            DB_NAME: { value: db.dbName },
            DB_USER: { value: db.username },
            DB_PASSWORD: { from: db.password },
          },
        }),
        Expose({ type: "ClusterIP", ports: { http: { targetPort: 8080 } } }),
        provides({ http: HttpServer({ port: 8080 }) }),
      ),
    ),
    web: requiring({ api: HttpServer }, ({ api }) =>
      component(
        StatelessWorkload({
          container: {
            name: "web",
            image: `${cfg.registry}/web:1.0.0`,
            ports: { http: { targetPort: 3000 } },
            env: { API_URL: { value: `http://${api.host}:${api.port}` } },
          },
          scaling: { count: 2 },
        }),
        Expose({ type: "LoadBalancer", ports: { http: { targetPort: 3000, exposedPort: 80 } } }),
      ),
    ),
  }),
});
