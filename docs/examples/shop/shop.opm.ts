// The authoring guide's example (docs/authoring.md), the same module as ./cue/shop.cue: a
// storefront built from a resource and traits, a worker from a blueprint. A test renders both
// with every values file and requires the same objects.
import { Container, Expose, HealthCheck, Scaling, StatelessWorkload } from "@opm/sdk/catalog";
import { component, defineModule, workloadType, z } from "@opm/sdk/dsl";

export default defineModule({
  metadata: {
    apiVersion: "example.com/shop@v0",
    name: "shop",
    version: "1.0.0",
    description: "A storefront and its order worker",
  },
  config: z.object({
    image: z.string(),
    replicas: z.int().min(1).max(20),
    worker: z.object({ image: z.string(), queue: z.string() }),
  }),
  values: {
    image: "shop/storefront:1.0.0",
    replicas: 1,
    worker: { image: "shop/worker:1.0.0", queue: "orders" },
  },
  components: (cfg) => ({
    storefront: component(
      workloadType("stateless"),
      Container({ name: "storefront", image: cfg.image, ports: { http: { targetPort: 8080 } } }),
      Scaling({ count: cfg.replicas }),
      HealthCheck({ readinessProbe: { httpGet: { path: "/healthz", port: 8080 } } }),
      Expose({ type: "ClusterIP", ports: { http: { targetPort: 8080, exposedPort: 80 } } }),
    ),
    worker: component(
      StatelessWorkload({
        container: {
          name: "worker",
          image: cfg.worker.image,
          env: { QUEUE: { value: cfg.worker.queue } },
        },
      }),
    ),
  }),
});
