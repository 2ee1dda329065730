// Golden files: rendered manifests and other outputs compared byte for byte with readable files
// checked in beside the tests. `UPDATE_GOLDEN=1 npx vitest run <path>` rewrites them; review the
// diff by hand before committing it. A missing golden fails, so a new test cannot pass unseen.
import { readFileSync, writeFileSync } from "node:fs";
import { expect } from "vitest";

const UPDATE = process.env["UPDATE_GOLDEN"] === "1";

/**
 * Expects `actual` to equal the golden `file`. `write: false` for a twin (the CUE side of a TS
 * module, say) that must match the golden another case writes, never write it itself.
 */
export function expectGolden(
  actual: string,
  file: string | URL,
  options: { readonly write?: boolean } = {},
): void {
  if (UPDATE && options.write !== false) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, "utf8"));
}
