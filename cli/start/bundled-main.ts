// What `import("./main.ts")` of cli/bin.ts becomes in the package's executable (dist/opm/bin.cjs,
// cli/build-bundle.ts): the CLI bundled as one CommonJS file, dist/opm/cli.cjs, run with a V8
// code cache kept per command (code-cache.ts). Nothing here runs for `opm --version`.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { adoptModuleWorker as AdoptModuleWorker, runCli as RunCli } from "../main.ts";
import { opmCacheDir } from "./cache-dir.ts";
import { commandTag, runWithCodeCache } from "./code-cache.ts";
import { prestartModuleWorker } from "./prestart.ts";

/** cli.cjs's content digest, written in by cli/build-bundle.ts. */
declare const OPM_CLI_DIGEST: string;

const argv = process.argv.slice(2);
// bin.cjs sits beside the bundle; this code is part of bin.cjs. The module worker starts first,
// so its start overlaps the CLI's.
const prestarted = prestartModuleWorker(
  argv,
  process.cwd(),
  pathToFileURL(join(__dirname, "module-worker.cjs")),
  process.env,
);
const compiled = runWithCodeCache(
  join(__dirname, "cli.cjs"),
  opmCacheDir(process.env, "v8"),
  commandTag(argv),
  OPM_CLI_DIGEST,
);
const main = compiled.exports as { runCli: typeof RunCli; adoptModuleWorker: typeof AdoptModuleWorker };
if (prestarted !== undefined) main.adoptModuleWorker(prestarted);

export const runCli: typeof RunCli = async (args, io) => {
  try {
    return await main.runCli(args, io);
  } finally {
    compiled.save();
  }
};
