// Child process for the crash-safety test: applies release version 2 and SIGKILLs itself just
// before write number N (argv: kubeconfig namespace N). Not a test file on its own.
import { ClusterClient } from "../client.ts";
import { apply } from "../apply.ts";
import { crashRelease } from "./crash-release.ts";

const [kubeconfig, namespace, killAt] = process.argv.slice(2);
const client = ClusterClient.fromKubeconfig({ paths: [kubeconfig!] });
await apply(crashRelease(namespace!, 2), {
  client,
  wait: false,
  concurrency: 3,
  // The lock a killed run leaves behind expires soon, so the rerun does not wait long.
  leaseDurationMs: 2_000,
  onEvent: (event) => {
    if (event.type === "write" && event.count === Number(killAt)) process.kill(process.pid, "SIGKILL");
  },
});
client.close();
process.stdout.write("finished without being killed\n");
