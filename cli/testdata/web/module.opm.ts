// A module written directly in the IR (no dsl builders), so CLI tests do not depend on the dsl.
import { brand, fqnOf, moduleIdentity, moduleLabels, type ConfigCheck, type Module } from "@opm/sdk";
import { ResourceFqn, TraitFqn, WORKLOAD_TYPE_LABEL } from "@opm/sdk/providers/kubernetes";

interface Values {
  image: string;
  replicas: number;
  port: number;
}

const def = (kind: "Resource" | "Trait", fqn: string, name: string, specKey: string) => ({
  kind,
  metadata: { apiVersion: fqn.split("#")[0]!, name, fqn },
  specKey,
  ...(kind === "Trait" ? { appliesTo: [ResourceFqn.container] } : {}),
});

const apiVersion = "example.com/web@v0";
const fqn = fqnOf(apiVersion, "web");
const identity = moduleIdentity(fqn, "0.1.0");

function validate(values: unknown): ConfigCheck {
  const v = values as Record<string, unknown>;
  const issues = [];
  if (typeof v["image"] !== "string") issues.push({ path: ["image"], message: "must be a string", expected: "string" });
  if (typeof v["replicas"] !== "number") issues.push({ path: ["replicas"], message: "must be a number", expected: "number" });
  if (typeof v["port"] !== "number") issues.push({ path: ["port"], message: "must be a number", expected: "number" });
  return { issues, value: values };
}

export default brand("Module", {
  kind: "Module",
  metadata: {
    apiVersion,
    name: "web",
    version: "0.1.0",
    fqn,
    identity,
    defaultNamespace: "web",
    labels: moduleLabels("web", "0.1.0", identity),
    annotations: {},
  },
  config: { validate },
  values: { image: "nginx:1.27", replicas: 2, port: 8080 },
  policies: {},
  components: (values: unknown) => {
    const v = values as Values;
    return {
      web: brand("Component", {
        kind: "Component",
        metadata: { name: "web", labels: { [WORKLOAD_TYPE_LABEL]: "stateless" }, annotations: {} },
        resources: { [ResourceFqn.container]: def("Resource", ResourceFqn.container, "container", "container") },
        traits: {
          [TraitFqn.scaling]: def("Trait", TraitFqn.scaling, "scaling", "scaling"),
          [TraitFqn.expose]: def("Trait", TraitFqn.expose, "expose", "expose"),
        },
        blueprints: {},
        spec: {
          container: { name: "web", image: v.image, ports: { http: { targetPort: v.port } } },
          scaling: { count: v.replicas },
          expose: { ports: { http: { targetPort: v.port } }, type: "ClusterIP" },
        },
      }),
    };
  },
}) as Module;
