// The zod the dsl validates with, re-exported as `z` from `@opm/sdk/dsl` so a module and the dsl
// use one copy. zod is a peer dependency (`^4`): a project that resolves zod 3 instead would fail
// deep inside, with `z.int is not a function`. Every dsl module that uses zod imports it from
// here, so this check runs (and fails with the versions) before any of them does.
import { createRequire } from "node:module";
import { z } from "zod";
import { OpmError } from "../sdk/index.ts";

/** The zod versions the dsl works with (package.json `peerDependencies`). */
export const SUPPORTED_ZOD = "^4.0.0";

type ZodVersion = { readonly major: number; readonly minor: number; readonly patch: number };

/** The installed zod's version from its package.json; only read to word the error. */
function installedVersion(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url)("zod/package.json") as { version?: unknown };
    return typeof manifest.version === "string" ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

/** Throws OPM8005 unless `zod` is a zod 4 namespace (zod 4 has `core.version`; zod 3 has none). */
export function assertZod4(zod: unknown, found: () => string | undefined = installedVersion): void {
  const version = (zod as { core?: { version?: ZodVersion } }).core?.version;
  if (version?.major === 4) return;
  const named =
    version !== undefined
      ? `${version.major}.${version.minor}.${version.patch}`
      : (found() ?? "older than 4");
  throw new OpmError("ZodVersion", {
    message: `@opm/sdk needs zod ${SUPPORTED_ZOD} (a peer dependency), but this project resolves zod ${named}`,
    hint: "install zod 4 beside @opm/sdk (npm install zod@^4) and import z from @opm/sdk/dsl or zod",
  });
}

assertZod4(z);

export { z };
