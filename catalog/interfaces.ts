// The well-known interfaces (RFC-0004, docs/interfaces.md) for TS modules: the twins of the CUE
// definitions in catalog/cue/interfaces (opmodel.dev/interfaces/{network,data,messaging}@v0),
// written by hand because the bindings generator does not describe interfaces yet;
// interfaces.test.ts checks each against its CUE definition (FQN, fields, defaults). Each is the
// definition (`requiring({ db: Postgres }, ...)`) and the builder of a provision
// (`provides({ db: Postgres({ dbName: "shop", ... }) })`).
import { defineInterface } from "../dsl/interface.ts";
import { z } from "../dsl/zod.ts";
import { secret as secretSchema } from "./generated/schemas.ts";

const port = (fallback: number) => z.int().min(1).max(65535).default(fallback);
/** What every server shape has beside its port: the names it answers to and who may reach it. */
const serverFields = {
  hostnames: z.array(z.string()).optional(),
  visibility: z.enum(["internal", "public"]).default("internal"),
};

/** An HTTP server, reached at `http://<host>:<port>`. */
export const HttpServer = defineInterface({
  metadata: {
    apiVersion: "opmodel.dev/interfaces/network@v0",
    name: "http-server",
    description: "An HTTP server, reached at http://<host>:<port>.",
  },
  shape: z.strictObject({
    port: port(80),
    paths: z
      .array(
        z.strictObject({
          path: z.string().regex(/^\//),
          pathType: z.enum(["Prefix", "Exact"]).default("Prefix"),
        }),
      )
      .optional(),
    ...serverFields,
  }),
  defaults: { port: 80, visibility: "internal" },
});

/** A gRPC server, reached at `<host>:<port>`. */
export const GrpcServer = defineInterface({
  metadata: {
    apiVersion: "opmodel.dev/interfaces/network@v0",
    name: "grpc-server",
    description: "A gRPC server, reached at <host>:<port>.",
  },
  shape: z.strictObject({
    port: port(9090),
    /** Fully qualified service names, e.g. `shop.v1.Orders`. */
    services: z.array(z.string()).optional(),
    ...serverFields,
  }),
  defaults: { port: 9090, visibility: "internal" },
});

/** A PostgreSQL database: host, port, database, user and password (a secret). */
export const Postgres = defineInterface({
  metadata: {
    apiVersion: "opmodel.dev/interfaces/data@v0",
    name: "postgres",
    description: "A PostgreSQL database: host, port, database, user and password.",
  },
  shape: z.strictObject({
    port: port(5432),
    dbName: z.string(),
    username: z.string(),
    password: secretSchema,
    sslMode: z.enum(["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]).optional(),
  }),
  defaults: { port: 5432 },
});

/** A Redis server: host, port, database number and an optional password (a secret). */
export const Redis = defineInterface({
  metadata: {
    apiVersion: "opmodel.dev/interfaces/data@v0",
    name: "redis",
    description: "A Redis server: host, port, database number and an optional password.",
  },
  shape: z.strictObject({
    port: port(6379),
    password: secretSchema.optional(),
    db: z.int().min(0).default(0),
  }),
  defaults: { port: 6379, db: 0 },
});

/** A Kafka topic: bootstrap host and port, topic, consumer group and optional SASL credentials. */
export const KafkaTopic = defineInterface({
  metadata: {
    apiVersion: "opmodel.dev/interfaces/messaging@v0",
    name: "kafka-topic",
    description:
      "A Kafka topic: bootstrap host and port, topic, consumer group and optional SASL credentials.",
  },
  shape: z.strictObject({
    port: port(9092),
    topic: z.string(),
    groupId: z.string().optional(),
    auth: z
      .strictObject({
        mechanism: z.enum(["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]).default("SCRAM-SHA-512"),
        username: z.string(),
        password: secretSchema,
      })
      .optional(),
  }),
  defaults: { port: 9092 },
});

/** Every well-known interface, by FQN. */
export const wellKnownInterfaces = Object.fromEntries(
  [HttpServer, GrpcServer, Postgres, Redis, KafkaTopic].map((i) => [i.metadata.fqn, i]),
);
