// SimpleDatabase in TS: the generated definition plus its expansion, which CUE expresses in the
// `#SimpleDatabase` mixin (catalog/cue/blueprints/data/simple_database.cue) and a generator
// cannot derive. Keep the two in step: same image, port, data directory, env and probe.
import { brand } from "../sdk/index.ts";
import type { Blueprint } from "../dsl/definitions.ts";
import { partBuilder } from "../dsl/parts.ts";
import {
  SimpleDatabaseBlueprint as generatedBlueprint,
  simpleDatabaseSpecSchema,
  type SimpleDatabaseSpec,
} from "./generated/blueprints-data.ts";

type Engine = SimpleDatabaseSpec["engine"];

interface EngineFacts {
  readonly image: string;
  readonly port: number;
  readonly dataDir: string;
  /** Env var name → which spec field it carries. */
  readonly env: Readonly<Record<string, "dbName" | "username" | "password">>;
  readonly ready: (username: string) => readonly string[];
}

const ENGINES: Readonly<Record<Engine, EngineFacts>> = {
  postgres: {
    image: "postgres",
    port: 5432,
    dataDir: "/var/lib/postgresql/data",
    env: { POSTGRES_DB: "dbName", POSTGRES_USER: "username", POSTGRES_PASSWORD: "password" },
    ready: (username) => ["pg_isready", "-U", username],
  },
  mysql: {
    image: "mysql",
    port: 3306,
    dataDir: "/var/lib/mysql",
    env: { MYSQL_DATABASE: "dbName", MYSQL_USER: "username", MYSQL_PASSWORD: "password" },
    ready: () => ["mysqladmin", "ping", "-h", "localhost"],
  },
  mongodb: {
    image: "mongo",
    port: 27017,
    dataDir: "/data/db",
    env: {
      MONGO_INITDB_DATABASE: "dbName",
      MONGO_INITDB_ROOT_USERNAME: "username",
      MONGO_INITDB_ROOT_PASSWORD: "password",
    },
    ready: () => ["mongo", "--eval", "db.adminCommand('ping')"],
  },
  redis: { image: "redis", port: 6379, dataDir: "/data", env: {}, ready: () => ["redis-cli", "ping"] },
};

/** Maps a SimpleDatabase spec onto the Container, Volumes, Scaling, RestartPolicy and HealthCheck specs. */
export function expandSimpleDatabase(spec: SimpleDatabaseSpec): Record<string, unknown> {
  const engine = ENGINES[spec.engine];
  const persistent = spec.persistence?.enabled ?? true;
  const dataSource = persistent
    ? {
        persistentClaim: {
          size: spec.persistence?.size ?? "1Gi",
          storageClass: spec.persistence?.storageClass ?? "standard",
        },
      }
    : { emptyDir: {} };
  // A secret password is wired as a secretKeyRef to the Secret holding it, never as a value;
  // only upstream v0's plain string lands in plain env (and NoLiteralSecrets flags it).
  const env = Object.fromEntries(
    Object.entries(engine.env).map(([name, field]) => {
      const value = spec[field];
      return [name, typeof value === "string" ? { name, value } : { name, from: value }];
    }),
  );
  return {
    container: {
      name: spec.engine,
      image: `${engine.image}:${spec.version}`,
      ports: { db: { name: "db", targetPort: engine.port } },
      env,
      volumeMounts: { data: { name: "data", mountPath: engine.dataDir, ...dataSource } },
    },
    volumes: { data: { name: "data", ...dataSource } },
    scaling: { count: 1 },
    restartPolicy: "Always",
    healthCheck: {
      readinessProbe: {
        exec: { command: engine.ready(spec.username) },
        initialDelaySeconds: 5,
        periodSeconds: 10,
      },
    },
  };
}

/** A single-replica database with optional persistence (opmodel.dev/blueprints/data@v0#SimpleDatabase). */
export const SimpleDatabaseBlueprint: Blueprint<"simple-database", SimpleDatabaseSpec> = brand("Blueprint", {
  ...generatedBlueprint,
  expand: (spec: Readonly<Record<string, unknown>>) => expandSimpleDatabase(spec as SimpleDatabaseSpec),
});

/**
 * Adds a SimpleDatabase to a component, like the CUE mixin `#SimpleDatabase`: a database engine
 * with its port and storage, rendered as a stateful workload. The password is a secret of the
 * module's config (`secret()`): it lands in a Secret and reaches the container through a
 * secretKeyRef, never as a plain env value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { render } from "@opm/sdk";
 * import { SimpleDatabase } from "@opm/sdk/catalog";
 * import { component, defineModule, secret, z } from "@opm/sdk/dsl";
 * import { kubernetesProvider } from "@opm/sdk/providers/kubernetes";
 *
 * const module = defineModule({
 *   metadata: { apiVersion: "example.com/db@v0", name: "db", version: "0.1.0" },
 *   config: z.object({ password: secret({ name: "db", key: "password" }) }),
 *   values: { password: { value: "dev" } },
 *   components: (cfg) => ({
 *     db: component(
 *       SimpleDatabase({ engine: "postgres", version: "16", dbName: "app", username: "app", password: cfg.password }),
 *     ),
 *   }),
 * });
 * const { errors, resources } = await render({ module, provider: kubernetesProvider });
 * assert.deepEqual(errors, []);
 * assert.deepEqual(resources.map((r) => r.object.kind), ["Secret", "PersistentVolumeClaim", "StatefulSet"]);
 * ```
 */
export const SimpleDatabase = partBuilder(SimpleDatabaseBlueprint);

export { simpleDatabaseSpecSchema, type SimpleDatabaseSpec };
