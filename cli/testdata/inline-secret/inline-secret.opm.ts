// Secrets written inline in a component's spec, not declared in the config (docs/secrets-and-config.md,
// "Secrets inline in a component"): a literal and an External Secrets reference are rendered
// like the config's secrets, and the env variables read them through secretKeyRefs to those
// Secrets. cue/ holds the same module in CUE; cli/commands/mod/inline-secrets.test.ts requires
// the same bytes from both.
import { Container } from "@opm/sdk/catalog";
import { component, defineModule, workloadType } from "@opm/sdk/dsl";
import { z } from "zod";

export default defineModule({
  metadata: { apiVersion: "example.com/modules@v0", name: "inline-secret", version: "0.1.0" },
  config: z.object({ token: z.string() }),
  values: { token: "not-a-real-token" },
  components: ({ token }) => ({
    web: component(
      workloadType("stateless"),
      Container({
        name: "web",
        image: "nginx:1.27",
        env: {
          API_TOKEN: { from: { $opm: "secret", $secretName: "api", $dataKey: "token", value: token } },
          LICENSE: {
            from: {
              $opm: "secret",
              $secretName: "license",
              $dataKey: "key",
              externalSecret: { store: "vault", remoteKey: "shop/license", property: "key" },
            },
          },
        },
      }),
    ),
  }),
});
