// Test support: the upstream-style acceptance modules (bridge/testdata/upstream/<name>), their
// values variants and golden files.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../testdata/upstream/", import.meta.url));

export const UPSTREAM_MODULES: readonly string[] = readdirSync(ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

export function upstreamModuleDir(name: string): string {
  return join(ROOT, name);
}

/**
 * How a module is built: without values files ("no -f"), then with each values file beside it
 * (values_*.cue, values-*.yaml, values.yaml, ...; not values.cue, which is the module's own).
 */
export function valuesVariants(dir: string): string[] {
  const files = readdirSync(dir)
    .filter((f) => /^values([-_.].*)?\.(cue|ya?ml|json)$/.test(f) && f !== "values.cue")
    .sort();
  return ["no -f", ...files];
}

/** expected.yaml without values files, expected.<file without extension>.yaml with one. */
export function goldenFile(dir: string, variant: string): string {
  return join(
    dir,
    variant === "no -f" ? "expected.yaml" : `expected.${variant.replace(/\.[^.]+$/, "")}.yaml`,
  );
}
