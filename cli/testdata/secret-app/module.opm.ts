// A module whose database passwords reach a Secret, a Deployment's env and a Job's env: the
// fixture of the secret-input and redaction tests (a password in plain env is what modules do
// before they move to #Secret, and what redaction must still hide).
import { z } from "zod";
import { Container, Secrets, StatelessWorkload, TaskWorkload } from "@opm/sdk/catalog";
import { component, defineModule, workloadType } from "@opm/sdk/dsl";

const config = z.object({
  image: z.string(),
  db: z.object({ user: z.string(), password: z.string(), adminPassword: z.string(), port: z.int() }),
  debug: z.boolean(),
  hosts: z.array(z.string()),
});

export default defineModule({
  metadata: {
    apiVersion: "example.com/modules@v0",
    name: "secret-app",
    version: "0.1.0",
    defaultNamespace: "secret-app",
  },
  config,
  values: { image: "nginx:1.27", db: { user: "app", password: "change-me", adminPassword: "change-me-too", port: 5432 }, debug: false, hosts: [] },
  components: (cfg) => ({
    web: component(
      workloadType("stateless"),
      Container({
        name: "web",
        image: cfg.image,
        env: {
          DB_USER: { value: cfg.db.user },
          DB_PASSWORD: { value: cfg.db.password },
          DB_PORT: { value: String(cfg.db.port) },
          DEBUG: { value: String(cfg.debug) },
          HOSTS: { value: cfg.hosts.join(",") },
        },
      }),
      Secrets({ "db-credentials": { type: "Opaque", data: { password: Buffer.from(cfg.db.password).toString("base64") } } }),
    ),
    migrate: component(
      TaskWorkload({
        container: { name: "migrate", image: cfg.image, env: { DB_ADMIN_PASSWORD: { value: cfg.db.adminPassword } } },
      }),
    ),
  }),
});
