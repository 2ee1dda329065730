// `npm run gen:catalog [outDir]`: regenerates the catalog's TS bindings from its CUE through
// the CUE engine. Errors propagate (non-zero exit through Node's unhandled rejection).
import { createCueEngine } from "../create.ts";
import { generateCatalog } from "./generate.ts";
import { writeFile } from "node:fs/promises";
import {
  CATALOG_SCHEMAS_FILE,
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
  if (outDir === GENERATED_DIR) await writeFile(CATALOG_SCHEMAS_FILE, schemaTable);
  process.stdout.write(`generated ${files.size} files into ${outDir}\n`);
} finally {
  await engine.close();
}
