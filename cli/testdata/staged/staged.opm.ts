// Staged apply (docs/staged-apply.md): web waits for db (dependsOn), and web's Deployment for
// the ServiceAccount it runs as (a reference). cue/staged.cue is the same module in CUE.
import { z } from "zod";
import { Container, Expose, WorkloadIdentity } from "@opm/sdk/catalog";
import { component, defineModule, workloadType } from "@opm/sdk/dsl";

export default defineModule({
  metadata: { apiVersion: "example.com/modules@v0", name: "staged", version: "0.1.0", defaultNamespace: "shop" },
  config: z.object({ image: z.string() }),
  values: { image: "nginx:1.27" },
  components: (cfg) => ({
    db: component(
      workloadType("stateless"),
      Container({ name: "db", image: "postgres:17", ports: { sql: { targetPort: 5432 } } }),
      Expose({ type: "ClusterIP", ports: { sql: { targetPort: 5432 } } }),
    ),
    web: component(
      { dependsOn: ["db"] },
      workloadType("stateless"),
      Container({ name: "web", image: cfg.image }),
      WorkloadIdentity({ name: "web", automountToken: false }),
    ),
  }),
});
