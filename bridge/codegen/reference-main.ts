// `npm run docs:catalog`: writes docs/catalog.md, the catalog reference, from the description
// `npm run gen:catalog` leaves in catalog/generated/catalog.json (run that first after a CUE change).
import { writeFile } from "node:fs/promises";
import { CATALOG_REFERENCE_FILE, formattedCatalogReference } from "./node-io.ts";

await writeFile(CATALOG_REFERENCE_FILE, await formattedCatalogReference());
process.stdout.write(`wrote ${CATALOG_REFERENCE_FILE}\n`);
