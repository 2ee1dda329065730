// Adversarial cluster cases (cli/commands/mod/adversarial.test.ts): a module whose values are the
// Kubernetes objects it renders, one raw object per key, so each test states exactly the objects
// it needs (an immutable field changed, an object too large, a label the server refuses).
import { z } from "zod";
import { RawObjects } from "@opm/sdk/catalog";
import { component, defineModule } from "@opm/sdk/dsl";

const config = z.object({ objects: z.record(z.string(), z.record(z.string(), z.unknown())) });

export default defineModule({
  metadata: { apiVersion: "example.com/adversary@v0", name: "adversary", version: "0.1.0" },
  config,
  values: { objects: {} },
  components: (cfg) => ({ objects: component(RawObjects(cfg.objects as never)) }),
});
