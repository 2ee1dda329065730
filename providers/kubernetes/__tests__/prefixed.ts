// The release-prefixed golden: every all-traits case and the config wiring cases (names of
// rendered Secrets and own ConfigMaps take the prefix, other names do not) rendered as release `blue` with
// release-prefixed naming, through whichever provider is given. The TS golden test and the CUE
// parity test both compare it with testdata/golden/release-prefixed.yaml, so the two providers
// prefix the same names and rewrite the same references.
import { formatManifests, render, type Provider } from "../../../sdk/index.ts";
import { cases } from "./cases.ts";
import { testModule } from "./fixtures.ts";

export const PREFIXED_GOLDEN = "release-prefixed";

const WIRING_CASES = new Set(["secret-variants", "deployment-env-sources"]);

/** Every all-traits case's objects, one `# <case>` section each; errors are thrown. */
export async function renderPrefixed(provider: Provider): Promise<string> {
  const sections: string[] = [];
  for (const c of cases.filter((x) => x.golden.endsWith("-all-traits") || WIRING_CASES.has(x.golden))) {
    const module = testModule("demo", { [c.component.metadata.name]: c.component });
    const result = await render({
      module,
      provider,
      name: "blue",
      namespace: "apps",
      naming: "release-prefixed",
    });
    if (result.errors.length > 0) throw new Error(`${c.golden}: ${result.errors.map(String).join("; ")}`);
    sections.push(`# ${c.golden}\n${formatManifests(result.resources)}`);
  }
  return sections.join("");
}
