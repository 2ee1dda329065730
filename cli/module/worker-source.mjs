// Starts the module worker (worker.ts) from the TypeScript sources, as tests and `tsx` runs do:
// Node 20 cannot run TypeScript by itself, so tsx's loader is registered in this thread first.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
