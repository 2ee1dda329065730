// A module using every construct the TS -> CUE compiler supports, so the examples test can
// prove the compiled CUE evaluates like the TS for several values (dsl/compile/examples.test.ts).
import { z } from "zod";
import {
  ConfigMaps,
  Container,
  Expose,
  NetworkRulesPolicyRule,
  Scaling,
  StatelessWorkload,
  Volumes,
} from "../../../catalog/index.ts";
import { component, defineModule, policy, rule, workloadType } from "../../../dsl/index.ts";

const port = z.int().min(1).max(65535);

const config = z.object({
  image: z.string(),
  tag: z.string().optional(),
  replicas: z.int().min(1).default(1),
  tls: z.boolean(),
  ports: z.record(z.string().regex(/^[a-z]+$/), port),
  args: z.array(z.string()),
  env: z.record(z.string(), z.string()),
  theme: z.enum(["light", "dark"]).default("light"),
  storageClass: z.string().optional(),
});

function claim(size: string, storageClass: string | undefined) {
  return { size, ...(storageClass === undefined ? {} : { storageClass }) };
}

function claimWithEarlyReturn(size: string, storageClass: string | undefined) {
  if (storageClass === undefined) return { size };
  return { size, storageClass };
}

const flag = (name: string) => `--${name}`;

export default defineModule({
  metadata: { apiVersion: "example.com/kitchen@v0", name: "kitchen-sink", version: "0.1.0" },
  config,
  values: { image: "nginx", tls: false, ports: { http: 8080 }, args: [], env: {} },
  policies: {
    "web-ingress": policy(
      { labels: { team: "web" }, appliesTo: { components: ["web"] } },
      rule(NetworkRulesPolicyRule, {
        "from-worker": { ingress: [{ from: [{ component: "worker" }], ports: [{ port: 8080, protocol: "TCP" }] }], denyAll: false },
      }),
    ),
  },
  components: ({ image, tag, replicas, tls, ports, args, env, theme, storageClass }) => {
    const fullImage = `${image}:${tag ?? "latest"}`;
    const exposed = Object.fromEntries(Object.keys(ports).map((name) => [name, { targetPort: ports[name]! }]));
    return {
      web: component(
        workloadType("stateless"),
        Container({
          name: "web",
          image: fullImage,
          ports: Object.fromEntries(Object.entries(ports).map(([name, p]) => [name, { targetPort: p }])),
          args: [...args.filter((a) => a !== "b").map(flag), tls ? "--tls" : "--plain", `--theme=${theme.toUpperCase()}`],
          env: Object.fromEntries(Object.entries(env).map(([key, value]) => [key, { name: key, value }])),
          volumeMounts: {
            data: { name: "data", mountPath: "/data", persistentClaim: claimWithEarlyReturn("1Gi", storageClass) },
          },
        }),
        Volumes({ data: { name: "data", persistentClaim: claim("1Gi", storageClass) } }),
        Scaling({ count: tls ? replicas * 2 : replicas }),
        Expose({ type: tls ? "LoadBalancer" : "ClusterIP", ports: exposed }),
        ConfigMaps({ settings: { data: { THEME: theme, ARGS: args.join(","), ...(tls ? { TLS: "on" } : {}), ...(tls && { MODE: "strict" }) } } }),
      ),
      worker: component(
        StatelessWorkload({
          container: {
            name: "worker",
            image: fullImage,
            env: { ENCODED: { value: Buffer.from(image).toString("base64") } },
          },
        }),
      ),
    };
  },
});
