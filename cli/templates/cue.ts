// The CUE scaffolds of `opm mod init --lang cue`, written against the v0 catalog modules
// (opmodel.dev/core@v0, resources@v0, traits@v0), which the catalog built into opm serves with no
// registry (a registry routed explicitly with `opmodel.dev=<registry>` takes over). Same
// components as the TS scaffolds.
import type { ScaffoldFile, TemplateData, TemplateName } from "./names.ts";

const moduleFile = (d: TemplateData) => `module: "${d.apiVersion}"
language: version: "v0.15.0"
source: kind:      "self"
deps: {
	"opmodel.dev/core@v0": v:      "v0.1.0"
	"opmodel.dev/resources@v0": v: "v0.1.0"
	"opmodel.dev/traits@v0": v:    "v0.1.0"
}
`;

const moduleCue = (d: TemplateData, config: string) => `// ${d.name}: an Open Platform Model module.
package ${d.cuePackage}

import core "opmodel.dev/core@v0"

core.#Module

metadata: {
	apiVersion: "${d.apiVersion}"
	name:       "${d.name}"
	version:    "${d.version}"
}

// The values users may set (with -f or --set); checked before anything renders.
#config: {
${config}}
`;

const serviceConfig = (name: string, image: string, port: number, replicas: number) =>
  `\t${name}: {
\t\timage:    string | *"${image}"
\t\treplicas: int & >=1 | *${replicas}
\t\tport:     int & >0 & <65536 | *${port}
\t}
`;

const values = (d: TemplateData, body: string) => `package ${d.cuePackage}

// The author's defaults; users override them with -f files and --set.
values: {
${body}}
`;

function statelessComponent(name: string, expose: boolean): string {
  return `\t${name}: {
\t\tworkload_resources.#Container
\t\tworkload_traits.#Scaling
${expose ? "\t\tnetwork_traits.#Expose\n" : ""}\t\tmetadata: labels: "core.opmodel.dev/workload-type": "stateless"
\t\tspec: {
\t\t\tcontainer: {name: "${name}", image: #config.${name}.image, ports: http: targetPort: #config.${name}.port}
\t\t\tscaling: count: #config.${name}.replicas
${expose ? `\t\t\texpose: {type: "ClusterIP", ports: http: targetPort: #config.${name}.port}\n` : ""}\t\t}
\t}
`;
}

const components = (d: TemplateData, body: string, network: boolean) => `package ${d.cuePackage}

import (
	workload_resources "opmodel.dev/resources/workload@v0"
	workload_traits "opmodel.dev/traits/workload@v0"
${network ? '\tnetwork_traits "opmodel.dev/traits/network@v0"\n' : ""})

#components: {
${body}}
`;

export function cueScaffold(template: TemplateName, d: TemplateData): ScaffoldFile[] {
  const mod = { path: "cue.mod/module.cue", description: "CUE module metadata", content: moduleFile(d) };
  if (template === "simple") {
    return [
      mod,
      {
        path: "module.cue",
        description: "Module definition",
        content: moduleCue(d, serviceConfig("app", "nginx:1.27", 8080, 1)),
      },
      {
        path: "values.cue",
        description: "Default values",
        content: values(d, '\tapp: image: "nginx:1.27"\n'),
      },
      {
        path: "components.cue",
        description: "Component definitions",
        content: components(d, statelessComponent("app", false), false),
      },
    ];
  }
  const names = template === "standard" ? ["web", "api"] : ["web", "api", "worker"];
  const config = names
    .map((n) =>
      serviceConfig(
        n,
        n === "web" ? "nginx:1.27" : "node:20-alpine",
        n === "web" ? 8080 : 3000,
        n === "web" ? 2 : 1,
      ),
    )
    .join("");
  const body = names.map((n) => statelessComponent(n, n !== "worker")).join("");
  return [
    mod,
    { path: "module.cue", description: "Module definition", content: moduleCue(d, config) },
    { path: "values.cue", description: "Default values", content: values(d, "\tweb: replicas: 2\n") },
    { path: "components.cue", description: "Component definitions", content: components(d, body, true) },
  ];
}
