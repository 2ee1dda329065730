// Writes one API report per public entry of package.json's `exports` into docs/api/, so a change
// of the public surface shows up in review. `--check` fails when a committed report is stale or
// when an exported declaration (or a member of one) has no doc comment; `--undocumented` lists
// those (source file and name), to be documented.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";

const check = process.argv.includes("--check");
const list = process.argv.includes("--undocumented");
const undocumentedEntries = [];
const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const base = ExtractorConfig.loadFile("api-extractor.json");
base.messages.extractorMessageReporting["ae-undocumented"] = { logLevel: "warning" };
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
  const undocumented = [];
  const result = Extractor.invoke(config, {
    localBuild: !check,
    showVerboseMessages: false,
    // The report itself is what we review; the extractor's own chatter only hides it.
    messageCallback: (m) => {
      if (m.messageId === "ae-undocumented") {
        // The declaration files mirror the sources: dist/sdk/x.d.ts is sdk/x.ts.
        const source = relative(process.cwd(), m.sourceFilePath ?? "?")
          .replace(/^dist\//, "")
          .replace(/\.d\.ts$/, ".ts");
        undocumented.push(`${source}: ${m.text.replace(/^Missing documentation for /, "")}`);
      }
      m.logLevel = "none";
    },
  });
  if (result.apiReportChanged) stale.push(`docs/api/${name}.api.md`);
  if (list) for (const line of undocumented.sort()) console.log(`${name}\t${line}`);
  if (undocumented.length > 0)
    undocumentedEntries.push(
      `${subpath}: ${undocumented.length} exported declarations without a doc comment`,
    );
}
if (check && undocumentedEntries.length) {
  console.error(
    `Every exported declaration needs a doc comment that says what it is for ('node scripts/api-report.mjs --undocumented' lists them):\n  ${undocumentedEntries.join("\n  ")}`,
  );
  process.exit(1);
}
if (check && stale.length) {
  console.error(`API reports are stale: ${stale.join(", ")}; run 'npm run api:report' and commit them`);
  process.exit(1);
}
