// The TypeScript scaffolds of `opm mod init`. Each renders and vets clean as written (a test runs
// init then build on every one). They import `@opm/sdk/...` (zod's `z` too, re-exported by the dsl
// so a module uses the dsl's own zod), which opm links to its own copy when the directory has no
// node_modules, so no install is needed to try them.
import type { ScaffoldFile, TemplateData, TemplateName } from "./names.ts";

// No defaultNamespace: the namespace comes from -n, OPM_NAMESPACE, ~/.opm/config.cue or the
// kubeconfig context, in that order (a module default would shadow the last two).
const header = (d: TemplateData) => `// ${d.name}: an Open Platform Model module.
//   opm mod vet     check it          opm mod build   render it to Kubernetes manifests
//   opm mod eval    show it evaluated with its values
`;

function simple(d: TemplateData): string {
  return `${header(d)}import { Container, Scaling } from "@opm/sdk/catalog";
import { component, defineModule, workloadType, z } from "@opm/sdk/dsl";

// The values users may set (with -f values.yaml or --set); checked before anything renders.
const config = z.object({
  image: z.string(),
  replicas: z.int().min(1),
  port: z.int().min(1).max(65535),
});

export default defineModule({
  metadata: {
    apiVersion: "${d.apiVersion}",
    name: "${d.name}",
    version: "${d.version}",
  },
  config,
  values: { image: "nginx:1.27", replicas: 1, port: 8080 },
  components: (cfg) => ({
    app: component(
      workloadType("stateless"),
      Container({ name: "app", image: cfg.image, ports: { http: { targetPort: cfg.port } } }),
      Scaling({ count: cfg.replicas }),
    ),
  }),
});
`;
}

function standard(d: TemplateData): string {
  return `${header(d)}import { Container, Expose, Scaling } from "@opm/sdk/catalog";
import { component, defineModule, workloadType, z } from "@opm/sdk/dsl";

const service = z.object({
  image: z.string(),
  replicas: z.int().min(1),
  port: z.int().min(1).max(65535),
});

// The values users may set (with -f values.yaml or --set); checked before anything renders.
const config = z.object({ web: service, api: service });

export default defineModule({
  metadata: {
    apiVersion: "${d.apiVersion}",
    name: "${d.name}",
    version: "${d.version}",
  },
  config,
  values: {
    web: { image: "nginx:1.27", replicas: 2, port: 8080 },
    api: { image: "node:20-alpine", replicas: 1, port: 3000 },
  },
  components: (cfg) => ({
    web: component(
      workloadType("stateless"),
      Container({ name: "web", image: cfg.web.image, ports: { http: { targetPort: cfg.web.port } } }),
      Scaling({ count: cfg.web.replicas }),
      Expose({ type: "ClusterIP", ports: { http: { targetPort: cfg.web.port, exposedPort: 80 } } }),
    ),
    api: component(
      workloadType("stateless"),
      Container({ name: "api", image: cfg.api.image, ports: { http: { targetPort: cfg.api.port } } }),
      Scaling({ count: cfg.api.replicas }),
      Expose({ type: "ClusterIP", ports: { http: { targetPort: cfg.api.port } } }),
    ),
  }),
});
`;
}

function advancedModule(d: TemplateData): string {
  return `${header(d)}import { defineModule } from "@opm/sdk/dsl";
import { api } from "./components/api.ts";
import { config } from "./config.ts";
import { db } from "./components/db.ts";
import { web } from "./components/web.ts";
import { worker } from "./components/worker.ts";

export default defineModule({
  metadata: {
    apiVersion: "${d.apiVersion}",
    name: "${d.name}",
    version: "${d.version}",
    description: "A web front end, an API, a background worker and a database",
  },
  config,
  values: {
    web: { image: "nginx:1.27", replicas: 2, port: 8080 },
    api: { image: "node:20-alpine", replicas: 2, port: 3000 },
    worker: { image: "node:20-alpine", replicas: 1 },
    db: { image: "postgres:17", storage: "10Gi" },
  },
  components: (cfg) => ({
    web: web(cfg),
    api: api(cfg),
    worker: worker(cfg),
    db: db(cfg),
  }),
});
`;
}

const advancedConfig = `// The values users may set (with -f values.yaml or --set); checked before anything renders.
import { z } from "@opm/sdk/dsl";

const service = z.object({
  image: z.string(),
  replicas: z.int().min(1),
  port: z.int().min(1).max(65535),
});

export const config = z.object({
  web: service,
  api: service,
  worker: z.object({ image: z.string(), replicas: z.int().min(0) }),
  db: z.object({ image: z.string(), storage: z.string().regex(/^[0-9]+[MGT]i$/) }),
});

export type Config = z.output<typeof config>;
`;

const advancedWeb = `import { Container, Expose, Scaling } from "@opm/sdk/catalog";
import { component, workloadType } from "@opm/sdk/dsl";
import type { Config } from "../config.ts";

export const web = (cfg: Config) =>
  component(
    workloadType("stateless"),
    Container({ name: "web", image: cfg.web.image, ports: { http: { targetPort: cfg.web.port } } }),
    Scaling({ count: cfg.web.replicas }),
    Expose({ type: "ClusterIP", ports: { http: { targetPort: cfg.web.port, exposedPort: 80 } } }),
  );
`;

const advancedApi = `import { Container, Expose, HealthCheck, Scaling } from "@opm/sdk/catalog";
import { component, workloadType } from "@opm/sdk/dsl";
import type { Config } from "../config.ts";

export const api = (cfg: Config) =>
  component(
    workloadType("stateless"),
    Container({
      name: "api",
      image: cfg.api.image,
      ports: { http: { targetPort: cfg.api.port } },
      env: { DATABASE_HOST: { value: "db" } },
    }),
    Scaling({ count: cfg.api.replicas }),
    HealthCheck({ readinessProbe: { httpGet: { path: "/healthz", port: cfg.api.port } } }),
    Expose({ type: "ClusterIP", ports: { http: { targetPort: cfg.api.port } } }),
  );
`;

const advancedWorker = `import { Container, Scaling } from "@opm/sdk/catalog";
import { component, workloadType } from "@opm/sdk/dsl";
import type { Config } from "../config.ts";

export const worker = (cfg: Config) =>
  component(
    workloadType("stateless"),
    Container({ name: "worker", image: cfg.worker.image, env: { QUEUE: { value: "jobs" } } }),
    Scaling({ count: cfg.worker.replicas }),
  );
`;

const advancedDb = `import { Container, Expose, Volumes } from "@opm/sdk/catalog";
import { component, workloadType } from "@opm/sdk/dsl";
import type { Config } from "../config.ts";

export const db = (cfg: Config) =>
  component(
    workloadType("stateful"),
    Container({
      name: "db",
      image: cfg.db.image,
      ports: { postgres: { targetPort: 5432 } },
      volumeMounts: { data: { name: "data", mountPath: "/var/lib/postgresql/data", persistentClaim: { size: cfg.db.storage } } },
    }),
    Volumes({ data: { name: "data", persistentClaim: { size: cfg.db.storage } } }),
    Expose({ type: "ClusterIP", ports: { postgres: { targetPort: 5432 } } }),
  );
`;

const valuesFile = (
  example: string,
) => `# Values for this module: pass with \`opm mod build -f values.yaml\`. Anything left out keeps
# the module's default; every field is checked against the module's config schema.
${example}`;

export function typescriptScaffold(template: TemplateName, d: TemplateData): ScaffoldFile[] {
  const module = { path: "module.opm.ts", description: "Module definition" };
  if (template === "simple") {
    return [
      { ...module, content: simple(d) },
      { path: "values.yaml", description: "Example values", content: valuesFile("replicas: 2\n") },
    ];
  }
  if (template === "standard") {
    return [
      { ...module, content: standard(d) },
      { path: "values.yaml", description: "Example values", content: valuesFile("web:\n  replicas: 3\n") },
    ];
  }
  return [
    { ...module, content: advancedModule(d) },
    { path: "config.ts", description: "Config schema (values users may set)", content: advancedConfig },
    { path: "components/web.ts", description: "Component: web front end", content: advancedWeb },
    { path: "components/api.ts", description: "Component: API", content: advancedApi },
    { path: "components/worker.ts", description: "Component: background worker", content: advancedWorker },
    { path: "components/db.ts", description: "Component: database with storage", content: advancedDb },
    { path: "values.yaml", description: "Example values", content: valuesFile("db:\n  storage: 20Gi\n") },
  ];
}
