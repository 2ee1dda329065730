// Cluster operation benchmarks (issue 7): `npx tsx bench/cluster-apply.ts [--runs N] [--objects N]`.
// Starts its own control plane (testenv), then per run, in fresh namespaces:
//   fresh apply of N objects, unchanged re-apply, and diff of the unchanged set,
// each by opm (the library call in this process, and a whole process running an esbuild bundle;
// wait off) and by kubectl
// (`apply --server-side -f`, `diff --server-side -f`, its own process) on the same manifests.
// Prints medians and ratios as Markdown for docs/benchmarks.md ("## Cluster operations").
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { apply } from "../providers/kubernetes/cluster/apply.ts";
import { ClusterClient } from "../providers/kubernetes/cluster/client.ts";
import { diff } from "../providers/kubernetes/cluster/diff.ts";
import { startTestEnv } from "../testenv/index.ts";
import { benchObjects, benchRelease } from "./cluster-release.ts";

const here = fileURLToPath(import.meta.url);

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = arg("--runs", 5);
const count = arg("--objects", 200);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function main(): Promise<void> {
  process.stderr.write("starting a control plane...\n");
  const env = await startTestEnv({ progress: () => {} });
  const work = mkdtempSync(join(tmpdir(), "opm-bench-"));
  const kubectl = (args: string[], okCodes = [0]) => {
    const res = spawnSync(
      "kubectl",
      ["--kubeconfig", env.kubeconfig, "--cache-dir", join(work, "kcache"), ...args],
      { encoding: "utf8" },
    );
    if (!okCodes.includes(res.status ?? -1)) throw new Error(`kubectl ${args.join(" ")}: ${res.stderr}`);
  };
  const client = ClusterClient.fromKubeconfig({ paths: [env.kubeconfig] });
  // The child is bundled like a shipped CLI: plain JavaScript, client-node left out (it loads
  // only for exec/auth-provider credentials).
  const bundle = join(work, "cluster-child.mjs");
  await build({
    entryPoints: [join(dirname(here), "cluster-child.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: bundle,
    external: ["@kubernetes/client-node"],
    // CommonJS dependencies (yaml) call require(); give the ESM bundle one.
    banner: {
      js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
    },
    logLevel: "error",
  });
  const opmProcess = (op: string, ns: string) =>
    execFileSync(process.execPath, [bundle, op, env.kubeconfig, ns, String(count)], { stdio: "inherit" });
  const results = {
    procFresh: [] as number[],
    procAgain: [] as number[],
    procDiff: [] as number[],
    kubectlFresh: [] as number[],
    kubectlAgain: [] as number[],
    kubectlDiff: [] as number[],
    opmFresh: [] as number[],
    opmAgain: [] as number[],
    opmDiff: [] as number[],
  };
  try {
    // Warm discovery caches of both tools once (kubectl's on disk, ours in the client).
    kubectl(["get", "--raw", "/api/v1"]);
    kubectl(["api-resources"], [0, 1]);
    for (let run = 0; run <= runs; run++) {
      const nsK = `bench-k-${run}`;
      const nsO = `bench-o-${run}`;
      for (const ns of [nsK, nsO]) kubectl(["create", "namespace", ns]);
      const file = join(work, `k-${run}.yaml`);
      writeFileSync(
        file,
        benchObjects(nsK, count)
          .map((m) => `---\n${JSON.stringify(m.object)}\n`)
          .join(""),
      );
      const input = benchRelease(nsO, count);
      const kFresh = await timed(() =>
        kubectl(["apply", "--server-side", "--field-manager", "kubectl-bench", "-f", file]),
      );
      const oFresh = await timed(() => apply(input, { client, wait: false }));
      const kAgain = await timed(() =>
        kubectl(["apply", "--server-side", "--field-manager", "kubectl-bench", "-f", file]),
      );
      const oAgain = await timed(() => apply(input, { client, wait: false }));
      const kDiff = await timed(() =>
        kubectl(["diff", "--server-side", "--field-manager", "kubectl-bench", "-f", file], [0]),
      );
      let differs = true;
      const oDiff = await timed(async () => (differs = (await diff(input, { client })).differs));
      if (differs) throw new Error("opm diff found differences right after apply");
      const nsP = `bench-p-${run}`;
      kubectl(["create", "namespace", nsP]);
      const pFresh = await timed(() => opmProcess("apply", nsP));
      const pAgain = await timed(() => opmProcess("apply", nsP));
      const pDiff = await timed(() => opmProcess("diff", nsP));
      // The first run warms both tools; it is not counted.
      if (run === 0) continue;
      results.procFresh.push(pFresh);
      results.procAgain.push(pAgain);
      results.procDiff.push(pDiff);
      results.kubectlFresh.push(kFresh);
      results.opmFresh.push(oFresh);
      results.kubectlAgain.push(kAgain);
      results.opmAgain.push(oAgain);
      results.kubectlDiff.push(kDiff);
      results.opmDiff.push(oDiff);
      process.stderr.write(
        `run ${run}: fresh ${oFresh.toFixed(0)}/${kFresh.toFixed(0)} ms, again ${oAgain.toFixed(0)}/${kAgain.toFixed(0)} ms, diff ${oDiff.toFixed(0)}/${kDiff.toFixed(0)} ms (opm/kubectl); as a process ${pFresh.toFixed(0)}, ${pAgain.toFixed(0)}, ${pDiff.toFixed(0)} ms\n`,
      );
    }
  } finally {
    client.close();
    await env.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const row = (label: string, opm: number[], kube: number[], goal: string) => {
    const ratio = median(opm) / median(kube);
    return `| ${label} | ${median(opm).toFixed(0)} ms | ${median(kube).toFixed(0)} ms | ${ratio.toFixed(2)}x | ${goal} |`;
  };
  const node = execFileSync(process.execPath, ["-e", "process.stdout.write(process.version)"], {
    encoding: "utf8",
  });
  process.stdout.write(
    [
      `${count} objects (10% Deployments, 10% Services, 10% Secrets, 70% ConfigMaps), medians of ${runs} runs, Node ${node}:`,
      "",
      "| Scenario | opm | kubectl | ratio | goal |",
      "|---|---|---|---|---|",
      row("fresh apply (library call)", results.opmFresh, results.kubectlFresh, "<= 0.7x"),
      row("fresh apply (whole process, bundled)", results.procFresh, results.kubectlFresh, "<= 0.7x"),
      row("unchanged re-apply (library call)", results.opmAgain, results.kubectlAgain, "<= 0.3x"),
      row("unchanged re-apply (whole process, bundled)", results.procAgain, results.kubectlAgain, "<= 0.3x"),
      row("diff, unchanged (library call)", results.opmDiff, results.kubectlDiff, "<= 1.0x"),
      row("diff, unchanged (whole process, bundled)", results.procDiff, results.kubectlDiff, "<= 1.0x"),
      "",
    ].join("\n"),
  );
}

await main();
