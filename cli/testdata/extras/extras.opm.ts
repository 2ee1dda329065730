// Raw objects and patches (docs/authoring.md, "Raw objects and patches"): a custom resource of
// a CRD the test installs and a ConfigMap written as Kubernetes objects, and patches over the
// Deployment and Service the transformers render. cue/extras.cue is the same module in CUE;
// cli/commands/mod/raw-objects.test.ts requires both to render the same bytes.
import { z } from "zod";
import { Container, Expose, Patches, RawObjects } from "@opm/sdk/catalog";
import { component, defineModule, workloadType } from "@opm/sdk/dsl";

const config = z.object({ size: z.int().min(1), image: z.string(), widgets: z.boolean() });

export default defineModule({
  metadata: { apiVersion: "example.com/extras@v0", name: "extras", version: "0.1.0" },
  config,
  values: { size: 3, image: "nginx:1.27", widgets: true },
  components: (cfg) => ({
    web: component(
      workloadType("stateless"),
      Container({ name: "web", image: cfg.image, ports: { http: { targetPort: 8080 } } }),
      Expose({ ports: { http: { targetPort: 8080, exposedPort: 80 } } }),
      Patches([
        {
          target: { kind: "Deployment", name: "web" },
          patch: {
            spec: {
              template: {
                metadata: { annotations: { "example.com/scrape": "true" } },
                spec: { terminationGracePeriodSeconds: 5, containers: [{ name: "web", args: ["--quiet"] }] },
              },
            },
          },
        },
        {
          target: { kind: "Deployment", name: "web" },
          type: "json",
          patch: [{ op: "add", path: "/spec/revisionHistoryLimit", value: 2 }],
        },
        {
          target: { kind: "Service", name: "web" },
          type: "merge",
          patch: { spec: { sessionAffinity: "ClientIP" } },
        },
      ]),
    ),
    ...(cfg.widgets ? { widgets: widgetsComponent(cfg.size) } : {}),
  }),
});

function widgetsComponent(size: number) {
  return component(
      RawObjects({
        gadget: {
          apiVersion: "example.com/v1",
          kind: "Widget",
          spec: { size, color: "blue" },
        },
        "widget-settings": {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { labels: { team: "widgets" } },
          data: { size: String(size) },
        },
      }),
    );
}
