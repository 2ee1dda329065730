// Secrets and config wiring: credentials declared as secrets in the config (literal values, a key
// of a Secret that already exists, a key fetched by the External Secrets Operator), reaching the
// container only through secretKeyRef or a mounted volume; settings in an immutable ConfigMap
// (hashed name, so a change rolls the Deployment), read as single keys, as a prefixed envFrom and
// as mounted files; the pod's own name and memory limit through the downward API.
import { z } from "zod";
import { ConfigMaps, Container, Volumes } from "@opm/sdk/catalog";
import { component, defineModule, secret, workloadType } from "@opm/sdk/dsl";

const config = z.object({
  image: z.string(),
  logLevel: z.enum(["debug", "info", "warn", "error"]),
  db: z.object({
    user: secret({ name: "db", key: "user" }),
    password: secret({ name: "db", key: "password", value: z.string().min(12) }),
  }),
  paymentKey: secret({ name: "payment", key: "api-key" }),
  license: secret({ name: "license", key: "token" }),
  tlsKey: secret({ name: "tls", key: "tls.key" }),
});

export default defineModule({
  metadata: {
    apiVersion: "example.com/modules@v0",
    name: "secrets",
    version: "0.1.0",
    description: "Credentials as secrets, settings as an immutable config map",
    defaultNamespace: "shop",
  },
  config,
  values: {
    image: "registry.example.com/shop/api:1.0.0",
    logLevel: "info",
    db: { user: { value: "shop" }, password: { value: "change-me-in-values" } },
    paymentKey: { secretName: "payment-provider", remoteKey: "api-key" },
    license: { externalSecret: { store: "vault", remoteKey: "shop/license", property: "token" } },
    tlsKey: { value: "not-a-real-key" },
  },
  components: (cfg) => ({
    api: component(
      workloadType("stateless"),
      Container({
        name: "api",
        image: cfg.image,
        env: {
          DB_USER: { from: cfg.db.user },
          DB_PASSWORD: { from: cfg.db.password },
          PAYMENT_API_KEY: { from: cfg.paymentKey },
          LICENSE_TOKEN: { from: cfg.license },
          LOG_LEVEL: { configMapKeyRef: { name: "settings", key: "log_level" } },
          POD_NAME: { fieldRef: { fieldPath: "metadata.name" } },
          MEMORY_LIMIT: { resourceFieldRef: { resource: "limits.memory", containerName: "api" } },
        },
        envFrom: [{ configMapRef: { name: "settings" }, prefix: "APP_" }],
        volumeMounts: {
          settings: { configMap: {}, mountPath: "/etc/api", readOnly: true },
          tls: { secret: { from: cfg.tlsKey }, mountPath: "/etc/tls", readOnly: true },
        },
      }),
      Volumes({
        settings: { configMap: { items: [{ key: "log_level", path: "log-level" }], defaultMode: 0o444 } },
        tls: { secret: { from: cfg.tlsKey, defaultMode: 0o400 } },
      }),
      ConfigMaps({
        settings: { immutable: true, data: { log_level: cfg.logLevel, max_retries: "3" } },
      }),
    ),
  }),
});
