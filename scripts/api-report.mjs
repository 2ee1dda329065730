// Writes one API report per public entry of package.json's `exports` into docs/api/, so a change
// of the public surface shows up in review. `--check` fails when a committed report is stale.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";

const check = process.argv.includes("--check");
const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const base = ExtractorConfig.loadFile("api-extractor.json");
const stale = [];
mkdirSync("docs/api", { recursive: true });
for (const [subpath, target] of Object.entries(pkg.exports)) {
  if (target === null || typeof target !== "object" || !target.types) continue;
  const name = subpath === "." ? "sdk" : subpath.slice(2).replaceAll("/", "-");
  if (!existsSync(target.types)) {
    console.error(`api-report: ${subpath} has no ${target.types} yet (is the entry written and built?)`);
    if (check) stale.push(`${subpath} (missing)`);
    continue;
  }
  const config = ExtractorConfig.prepare({
    configObject: {
      ...base,
      mainEntryPointFilePath: target.types.replace(/^\.\//, `${process.cwd()}/`),
      apiReport: { ...base.apiReport, reportFileName: `${name}.api.md` },
    },
    configObjectFullPath: `${process.cwd()}/api-extractor.json`,
    packageJsonFullPath: `${process.cwd()}/package.json`,
  });
  const result = Extractor.invoke(config, {
    localBuild: !check,
    showVerboseMessages: false,
    // The report itself is what we review; the extractor's own chatter only hides it.
    messageCallback: (m) => {
      m.logLevel = "none";
    },
  });
  if (result.apiReportChanged) stale.push(`docs/api/${name}.api.md`);
}
if (check && stale.length) {
  console.error(`API reports are stale: ${stale.join(", ")}; run 'npm run api:report' and commit them`);
  process.exit(1);
}
