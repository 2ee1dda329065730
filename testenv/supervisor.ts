// The long-lived process behind `testenv up` (see supervision.ts): owns the environment until
// `testenv down` sends SIGTERM.
import { join } from "node:path";
import { cacheRoot, stateFile } from "./paths.ts";
import { supervise } from "./supervision.ts";

const code = await supervise({
  stateFile: stateFile(process.env),
  workDir: join(cacheRoot(process.env), "run", "env"),
  context: process.argv[2] ?? "opm-test",
  progress: (line) => console.error(line),
});
// Whatever handle outlives the environment must not keep a stopped supervisor around.
process.exit(code);
