// The catalog bindings pipeline: CUE sources -> (CUE engine) description -> (ts-morph) files.
// IO is injected: the caller supplies the sources, the engine and the formatter, and writes
// the returned files (see main.ts for the Node wiring behind `npm run gen:catalog`).
import type { CueEngine } from "../engine.ts";
import type { CatalogDescription } from "./description.ts";
import { emitCatalog, emitCatalogSchemaTable, type Formatter } from "./emit.ts";
import { extractCatalog, type CatalogSourceFile } from "./extract.ts";

export interface GeneratedCatalog {
  readonly description: CatalogDescription;
  /** File name (relative to catalog/generated) → content. */
  readonly files: ReadonlyMap<string, string>;
  /** bridge/codegen/catalog-schemas.ts: what user packages import from the catalog. */
  readonly schemaTable: string;
}

export async function generateCatalog(
  engine: CueEngine,
  sources: readonly CatalogSourceFile[],
  format: Formatter,
): Promise<GeneratedCatalog> {
  const description = await extractCatalog(engine, sources);
  return {
    description,
    files: await emitCatalog(description, format),
    schemaTable: await emitCatalogSchemaTable(description, format),
  };
}
