// Manifests as text: YAML documents separated by `---` (keys already in canonical order from
// render, so output is byte-identical across runs), or one JSON `v1 List`, as kubectl prints.
import type { RenderedObject } from "../../sdk/index.ts";

export async function manifestsAsYaml(resources: readonly RenderedObject[]): Promise<string> {
  const { stringify } = await import("yaml");
  return resources
    .map((r) => stringify(r.object, { lineWidth: 0, aliasDuplicateObjects: false }))
    .map((doc, i) => (i === 0 ? doc : `---\n${doc}`))
    .join("");
}

export function manifestsAsJson(resources: readonly RenderedObject[]): string {
  const list = { apiVersion: "v1", kind: "List", items: resources.map((r) => r.object) };
  return `${JSON.stringify(list, null, 2)}\n`;
}

/** `deployment-web.yaml`; the namespace joins in when two objects would share a file name. */
export function splitFileNames(resources: readonly RenderedObject[]): string[] {
  const base = resources.map((r) =>
    `${r.object.kind}-${String(r.object.metadata?.name ?? "")}`.toLowerCase(),
  );
  return resources.map((r, i) => {
    const clash = base.filter((b) => b === base[i]).length > 1;
    const namespace = String(r.object.metadata?.namespace ?? "");
    const name =
      clash && namespace !== ""
        ? `${r.object.kind}-${namespace}-${String(r.object.metadata?.name ?? "")}`
        : base[i]!;
    return `${name.toLowerCase()}.yaml`;
  });
}
