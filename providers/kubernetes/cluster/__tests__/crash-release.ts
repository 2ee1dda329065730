// The two versions of the release the crash-safety test moves between. Version 2 renames,
// changes, adds and removes objects, so it takes more than 20 writes to apply.
import type { ReleaseInput } from "../desired.ts";
import { configMap, deployment, release, service } from "./helpers.ts";

export function crashRelease(namespace: string, version: 1 | 2): ReleaseInput {
  if (version === 1) {
    return release("crash", namespace, [
      ...[0, 1, 2, 3, 4, 5].map((i): [string, ReturnType<typeof configMap>] => [
        "config",
        configMap(`cm-${i}`, { v: "1" }),
      ]),
      ["web", service("svc-a")],
      ["web", deployment("web")],
    ]);
  }
  return release("crash", namespace, [
    ...[3, 4, 5].map((i): [string, ReturnType<typeof configMap>] => [
      "config",
      configMap(`cm-${i}`, { v: "2" }),
    ]),
    ...[6, 7, 8, 9, 10, 11, 12, 13, 14].map((i): [string, ReturnType<typeof configMap>] => [
      "config",
      configMap(`cm-${i}`, { v: "2" }),
    ]),
    ["web", service("svc-b")],
    ["web", deployment("web", { replicas: 2 })],
  ]);
}
