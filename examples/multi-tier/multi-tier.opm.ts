// A multi-tier application using every workload type: a stateless front end (blueprint), an
// autoscaled API with an init container and its own identity, a PostgreSQL database
// (SimpleDatabase blueprint), a log agent on every node (daemon), a one-off migration (task)
// and a nightly backup (scheduled task). The database password is a secret of the config: it
// lands in the Secret `database` and reaches the database, the API and the backup only through
// secretKeyRef, never as a plain env value.
import { z } from "zod";
import {
  Container,
  DaemonWorkload,
  Expose,
  InitContainers,
  Scaling,
  ScheduledTaskWorkload,
  SimpleDatabase,
  StatelessWorkload,
  TaskWorkload,
  WorkloadIdentity,
} from "@opm/sdk/catalog";
import { component, defineModule, secret, workloadType } from "@opm/sdk/dsl";

const config = z.object({
  version: z.string(),
  registry: z.string(),
  api: z.object({
    minReplicas: z.int().min(1),
    maxReplicas: z.int().min(1),
    cpuTarget: z.int().min(1).max(100),
  }),
  database: z.object({
    name: z.string(),
    user: z.string(),
    password: secret({ name: "database", key: "password" }),
    size: z.string(),
  }),
  backupSchedule: z.string(),
});

export default defineModule({
  metadata: {
    apiVersion: "example.com/modules@v0",
    name: "multi-tier",
    version: "0.3.0",
    description: "Front end, API, database, log agent, migration and backup",
    defaultNamespace: "shop",
  },
  config,
  values: {
    version: "1.4.2",
    registry: "registry.example.com/shop",
    api: { minReplicas: 2, maxReplicas: 6, cpuTarget: 70 },
    database: { name: "shop", user: "shop", password: { value: "change-me" }, size: "20Gi" },
    backupSchedule: "0 3 * * *",
  },
  components: (cfg) => {
    const image = (name: string) => `${cfg.registry}/${name}:${cfg.version}`;
    const databaseUrl = `postgres://${cfg.database.user}@database:5432/${cfg.database.name}`;
    return {
      frontend: component(
        StatelessWorkload({
          container: { name: "frontend", image: image("frontend"), ports: { http: { targetPort: 3000 } } },
          scaling: { count: 2 },
        }),
        Expose({ type: "LoadBalancer", ports: { http: { targetPort: 3000, exposedPort: 80 } } }),
      ),
      api: component(
        workloadType("stateless"),
        Container({
          name: "api",
          image: image("api"),
          ports: { http: { targetPort: 8080 } },
          env: { DATABASE_URL: { value: databaseUrl }, DATABASE_PASSWORD: { from: cfg.database.password } },
        }),
        InitContainers([
          {
            name: "wait-for-db",
            image: "busybox:1.37",
            command: ["sh", "-c", "until nc -z database 5432; do sleep 2; done"],
          },
        ]),
        Scaling({
          count: cfg.api.minReplicas,
          auto: {
            min: cfg.api.minReplicas,
            max: cfg.api.maxReplicas,
            metrics: [{ type: "cpu", target: { averageUtilization: cfg.api.cpuTarget } }],
          },
        }),
        WorkloadIdentity({ name: "shop-api", automountToken: false }),
        Expose({ type: "ClusterIP", ports: { http: { targetPort: 8080 } } }),
      ),
      database: component(
        SimpleDatabase({
          engine: "postgres",
          version: "17",
          dbName: cfg.database.name,
          username: cfg.database.user,
          password: cfg.database.password,
          persistence: { enabled: true, size: cfg.database.size },
        }),
        Expose({ type: "ClusterIP", ports: { db: { targetPort: 5432 } } }),
      ),
      "log-agent": component(
        DaemonWorkload({
          container: {
            name: "fluent-bit",
            image: "fluent/fluent-bit:3.2",
            args: ["--config=/fluent-bit/etc/fluent-bit.conf"],
          },
          updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
        }),
      ),
      migrate: component(
        TaskWorkload({
          container: {
            name: "migrate",
            image: image("migrate"),
            args: ["up"],
            env: { DATABASE_URL: { value: databaseUrl } },
          },
          restartPolicy: "OnFailure",
          jobConfig: { backoffLimit: 3, ttlSecondsAfterFinished: 600 },
        }),
      ),
      backup: component(
        ScheduledTaskWorkload({
          container: {
            name: "backup",
            image: "postgres:17",
            command: ["sh", "-c", "pg_dump -h database -U $PGUSER shop > /dev/null"],
            env: { PGUSER: { value: cfg.database.user }, PGPASSWORD: { from: cfg.database.password } },
          },
          cronJobConfig: { scheduleCron: cfg.backupSchedule, concurrencyPolicy: "Forbid" },
        }),
      ),
    };
  },
});
