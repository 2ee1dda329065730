// Where rendered objects keep their pods and containers, with the field path of each, so a
// violation names the field at fault (`spec.template.spec.containers[0].image`).
import type { PlatformObject } from "../../../sdk/index.ts";
import { podSpecOf } from "../../../sdk/render/references.ts";

type Json = Record<string, unknown>;

function isRecord(x: unknown): x is Json {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

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

/** Every pod spec of the objects, in object order (workload kinds only). */
export function podSpecsOf(objects: readonly PlatformObject[]): PodSpecAt[] {
  return objects.flatMap((object) => {
    const pod = podSpecOf(object);
    return pod === undefined ? [] : [{ object, ...pod }];
  });
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
