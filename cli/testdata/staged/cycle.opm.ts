// Two components that wait for each other: a dependency cycle (OPM3020) at both dependsOn.
import { z } from "zod";
import { Container } from "@opm/sdk/catalog";
import { component, defineModule, workloadType } from "@opm/sdk/dsl";

export default defineModule({
  metadata: { apiVersion: "example.com/modules@v0", name: "cycle", version: "0.1.0" },
  config: z.object({}),
  values: {},
  components: () => ({
    api: component(
      { dependsOn: ["web"] },
      workloadType("stateless"),
      Container({ name: "api", image: "api:1" }),
    ),
    web: component(
      { dependsOn: ["api"] },
      workloadType("stateless"),
      Container({ name: "web", image: "web:1" }),
    ),
  }),
});
