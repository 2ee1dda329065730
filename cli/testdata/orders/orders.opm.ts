// A module that requires PostgreSQL and provides nothing of its own: another release in the
// namespace (examples/interfaces) provides it. cli/commands/mod/interfaces.test.ts wires it on
// the test control plane; cue/orders.cue is its twin.
import { Container, Expose, Postgres } from "@opm/sdk/catalog";
import { component, defineModule, requiring, workloadType, z } from "@opm/sdk/dsl";

export default defineModule({
  metadata: { apiVersion: "example.com/modules@v0", name: "orders", version: "0.1.0", defaultNamespace: "shop" },
  config: z.object({ image: z.string() }),
  values: { image: "registry.example.com/shop/orders:1.0.0" },
  components: (cfg) => ({
    orders: requiring({ db: Postgres }, ({ db }) =>
      component(
        workloadType("stateless"),
        Container({
          name: "orders",
          image: cfg.image,
          env: {
            DB_HOST: { value: db.host },
            DB_PORT: { value: String(db.port) },
            DB_NAME: { value: db.dbName },
            DB_PASSWORD: { from: db.password },
          },
        }),
        Expose({ type: "ClusterIP", ports: { http: { targetPort: 8080 } } }),
      ),
    ),
  }),
});
