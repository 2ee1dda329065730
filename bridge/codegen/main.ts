// `npm run gen:catalog [outDir]`: regenerates the catalog's TS bindings from its CUE through
// the CUE engine. Errors propagate (non-zero exit through Node's unhandled rejection).
import { createCueEngine } from "../create.ts";
import { generateCatalog } from "./generate.ts";
import { GENERATED_DIR, prettierFormatter, readCatalogSources, writeGenerated } from "./node-io.ts";

const outDir = process.argv[2] ?? GENERATED_DIR;
const engine = createCueEngine();
try {
  const { files } = await generateCatalog(engine, await readCatalogSources(), prettierFormatter);
  await writeGenerated(outDir, files);
  process.stdout.write(`generated ${files.size} files into ${outDir}\n`);
} finally {
  await engine.close();
}
