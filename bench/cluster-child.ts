// One cluster operation in its own process, for bench/cluster-apply.ts's whole-process timings:
// `node <bundle of this file> apply|diff <kubeconfig> <namespace> <objects>`. The bench bundles
// it with esbuild first, as a shipped CLI would be, so no TypeScript is compiled at run time.
import { apply } from "../providers/kubernetes/cluster/apply.ts";
import { ClusterClient } from "../providers/kubernetes/cluster/client.ts";
import { diff } from "../providers/kubernetes/cluster/diff.ts";
import { benchRelease } from "./cluster-release.ts";

const [op, kubeconfig, namespace, objects] = process.argv.slice(2);
const client = ClusterClient.fromKubeconfig({ paths: [kubeconfig!] });
const input = benchRelease(namespace!, Number(objects));
if (op === "apply") await apply(input, { client, wait: false });
else if ((await diff(input, { client })).differs) process.exitCode = 1;
client.close();
