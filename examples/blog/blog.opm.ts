// A blog: two stateless components. The web front end is built from primitives (container,
// scaling, sizing, security context, a route); the comments service uses the StatelessWorkload
// blueprint, which brings its own workload type.
import { z } from "zod";
import {
  ConfigMaps,
  Container,
  Expose,
  HttpRoute,
  Scaling,
  SecurityContext,
  Sizing,
  StatelessWorkload,
} from "@opm/sdk/catalog";
import { component, defineModule, workloadType } from "@opm/sdk/dsl";

const config = z.object({
  hostname: z.string(),
  web: z.object({ image: z.string(), replicas: z.int().min(1).max(10) }),
  comments: z.object({ image: z.string(), replicas: z.int().min(1) }),
  theme: z.enum(["light", "dark"]),
});

export default defineModule({
  metadata: {
    apiVersion: "example.com/modules@v0",
    name: "blog",
    version: "2.1.0",
    description: "A blog with a comments service",
  },
  config,
  values: {
    hostname: "blog.example.com",
    web: { image: "ghost:5.96", replicas: 2 },
    comments: { image: "remark42:1.14", replicas: 1 },
    theme: "light",
  },
  components: (cfg) => ({
    web: component(
      workloadType("stateless"),
      Container({
        name: "web",
        image: cfg.web.image,
        ports: { http: { targetPort: 2368 } },
        env: {
          url: { name: "url", value: `https://${cfg.hostname}` },
          BLOG_THEME: { value: cfg.theme },
        },
      }),
      Scaling({ count: cfg.web.replicas }),
      Sizing({ cpu: { request: "250m", limit: "1000m" }, memory: { request: "256Mi", limit: "512Mi" } }),
      SecurityContext({ runAsNonRoot: true, runAsUser: 1000, readOnlyRootFilesystem: false }),
      Expose({ type: "ClusterIP", ports: { http: { targetPort: 2368, exposedPort: 80 } } }),
      HttpRoute({
        hostnames: [cfg.hostname],
        ingressClassName: "nginx",
        tls: { certificateRef: { name: "blog-tls" } },
        rules: [{ backendPort: 80, matches: [{ path: { type: "Prefix", value: "/" } }] }],
      }),
      ConfigMaps({ "web-settings": { data: { THEME: cfg.theme, HOSTNAME: cfg.hostname } } }),
    ),
    comments: component(
      StatelessWorkload({
        container: {
          name: "comments",
          image: cfg.comments.image,
          ports: { http: { targetPort: 8080 } },
          env: { REMARK_URL: { value: `https://${cfg.hostname}/comments` } },
        },
        scaling: { count: cfg.comments.replicas },
        healthCheck: { readinessProbe: { httpGet: { path: "/ping", port: 8080 } } },
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      }),
      Expose({ type: "ClusterIP", ports: { http: { targetPort: 8080 } } }),
    ),
  }),
});
