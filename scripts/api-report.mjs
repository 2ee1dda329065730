// Writes one API report per public entry of package.json's `exports` into docs/api/, so a change
// of the public surface shows up in review. `--check` fails when a committed report is stale or
// when an entry has more exported declarations without a doc comment than UNDOCUMENTED allows;
// `--undocumented` lists them (source file and name), to be documented.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";

const check = process.argv.includes("--check");
const list = process.argv.includes("--undocumented");
// Declarations (exports and their members) still without a doc comment, per entry. Only ever
// lowered: documenting one means lowering its entry's number here; the goal is 0 everywhere.
const UNDOCUMENTED = {
  sdk: 0,
  dsl: 0,
  bridge: 0,
  catalog: 0,
  "providers-kubernetes": 0,
  "providers-kubernetes-cluster": 141,
  "providers-oci": 0,
};
const overBudget = [];
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
  const budget = UNDOCUMENTED[name] ?? 0;
  if (undocumented.length > budget)
    overBudget.push(
      `${subpath}: ${undocumented.length} undocumented declarations, at most ${budget} allowed`,
    );
  else if (undocumented.length < budget && !list)
    console.error(
      `api-report: ${subpath} has ${undocumented.length} undocumented; lower UNDOCUMENTED.${name} to it`,
    );
}
if (check && overBudget.length) {
  console.error(
    `Exported declarations without a doc comment (say what each is for; 'node scripts/api-report.mjs --undocumented' lists them):\n  ${overBudget.join("\n  ")}`,
  );
  process.exit(1);
}
if (check && stale.length) {
  console.error(`API reports are stale: ${stale.join(", ")}; run 'npm run api:report' and commit them`);
  process.exit(1);
}
