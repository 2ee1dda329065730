// Where rendered objects keep their pods and containers, with the field path of each, so a
// violation names the field at fault (`spec.template.spec.containers[0].image`).
import type { PlatformObject } from "../../../sdk/index.ts";

type Json = Record<string, unknown>;

function isRecord(x: unknown): x is Json {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** The path of the pod spec inside each workload kind. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** A pod spec found in a rendered object. */
export interface PodSpecAt {
  readonly object: PlatformObject;
  readonly path: string;
  readonly spec: Json;
}

/** A container of a pod spec, with its field path and the pod spec it belongs to. */
export interface ContainerAt {
  readonly object: PlatformObject;
  readonly path: string;
  readonly container: Json;
  readonly pod: Json;
  readonly init: boolean;
}

export function podSpecsOf(objects: readonly PlatformObject[]): PodSpecAt[] {
  const out: PodSpecAt[] = [];
  for (const object of objects) {
    const path = POD_SPEC_PATHS[object.kind];
    if (path === undefined) continue;
    let spec: unknown = object;
    for (const key of path) spec = isRecord(spec) ? spec[key] : undefined;
    if (isRecord(spec)) out.push({ object, path: path.join("."), spec });
  }
  return out;
}

/** Every container and init container, in pod spec order. */
export function containersOf(objects: readonly PlatformObject[]): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const { object, path, spec } of podSpecsOf(objects)) {
    for (const key of ["initContainers", "containers"] as const) {
      const list = spec[key];
      if (!Array.isArray(list)) continue;
      list.forEach((container: unknown, index) => {
        if (isRecord(container))
          out.push({
            object,
            path: `${path}.${key}[${index}]`,
            container,
            pod: spec,
            init: key === "initContainers",
          });
      });
    }
  }
  return out;
}

export { isRecord };
