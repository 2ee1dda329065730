// `npm run gen:catalog [outDir]`: regenerates the catalog's TS bindings from its CUE through
// the CUE engine, and the catalog reference docs/catalog.md from them. Errors propagate
// (non-zero exit through Node's unhandled rejection).
import { createCueEngine } from "../create.ts";
import { generateCatalog } from "./generate.ts";
import { writeFile } from "node:fs/promises";
import {
  CATALOG_REFERENCE_FILE,
  CATALOG_SCHEMAS_FILE,
  formattedCatalogReference,
  GENERATED_DIR,
  prettierFormatter,
  readCatalogSources,
  writeGenerated,
} from "./node-io.ts";

const outDir = process.argv[2] ?? GENERATED_DIR;
const engine = createCueEngine();
try {
  const { files, schemaTable } = await generateCatalog(engine, await readCatalogSources(), prettierFormatter);
  await writeGenerated(outDir, files);
  // Only with the default output: a scratch directory must not change the bridge's table.
  if (outDir === GENERATED_DIR) {
    await writeFile(CATALOG_SCHEMAS_FILE, schemaTable);
    await writeFile(CATALOG_REFERENCE_FILE, await formattedCatalogReference());
  }
  process.stdout.write(`generated ${files.size} files into ${outDir}\n`);
} finally {
  await engine.close();
}
