// Helper for teardown.test.ts: starts a registry with the watchdog armed, prints its pid, and hangs
// until killed.
import { startRegistry } from "../registry.ts";
import { startReaper } from "../processes.ts";

const registry = await startRegistry();
startReaper(process.pid, [registry.component.pid]);
process.stdout.write(`${registry.component.pid}\n`);
setInterval(() => {}, 1 << 30);
