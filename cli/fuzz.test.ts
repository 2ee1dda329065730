// The hostile-input fuzz suite (issue 11): generated invalid inputs of every kind a user or an
// attacker can hand to `opm` (values files, --set, flags, TS and CUE modules, .ts values files,
// kubeconfigs, applies against the real cluster). Every one must end with a coded error and
// the right exit code: no stack trace, no internal error, no hang, no silent exit, nothing
// accepted, nothing written. Seeded: OPM_FUZZ_SEED=<n> (or "random") reproduces or varies a
// run, OPM_FUZZ_CASES=<n> runs more (the default keeps the suite to a few minutes), and
// OPM_FUZZ_ONLY=<index> runs one case. The counts are printed at the end of every run.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { kubeRequest } from "../testenv/kube-client.ts";
import { tempDir } from "./__tests__/run.ts";
import type { CaseGenerator, FuzzCase } from "./__tests__/fuzz/case.ts";
import { clusterCase, EXISTING_NAMESPACE } from "./__tests__/fuzz/cluster-cases.ts";
import { flagCase, kubeconfigCase } from "./__tests__/fuzz/flag-cases.ts";
import { childProcess, runCase, Tally, type CaseContext } from "./__tests__/fuzz/harness.ts";
import {
  cueModuleCase,
  PROCESS_KINDS,
  processCase,
  tsModuleCase,
  tsValuesCase,
} from "./__tests__/fuzz/module-cases.ts";
import { Random, seedFrom } from "./__tests__/fuzz/random.ts";
import { cueValuesCase, hugeValuesCase, setCase, valuesFileCase } from "./__tests__/fuzz/values-cases.ts";

const DEFAULT_SEED = 20261130;
const seed = seedFrom(process.env["OPM_FUZZ_SEED"], DEFAULT_SEED);
const scale = Number(process.env["OPM_FUZZ_CASES"] ?? 1000) / 1000;
const only = process.env["OPM_FUZZ_ONLY"];

/** How many cases of each family a run of 1,000 has. */
const MIX: readonly (readonly [number, (random: Random) => FuzzCase])[] = [
  [300, valuesFileCase],
  [80, cueValuesCase],
  [6, hugeValuesCase],
  [150, setCase],
  [150, flagCase],
  [80, kubeconfigCase],
  [100, tsModuleCase],
  [60, tsValuesCase],
  [80, cueModuleCase],
  [40, (random) => clusterCase(random, inject("kubeconfig"))],
];

/** The run's cases in a seeded order; case i depends only on the seed and i. */
function schedule(): { index: number; generate: CaseGenerator }[] {
  const order = new Random(seed);
  const slots = MIX.flatMap(([count, generate]) =>
    Array.from({ length: Math.max(1, Math.round(count * scale)) }, () => generate),
  );
  for (let i = slots.length - 1; i > 0; i--) {
    const j = order.int(0, i);
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
  return slots.map((generate, index) => ({ index, generate }));
}

const caseRandom = (index: number) => new Random((Math.imul(seed, 1_000_003) + index) >>> 0);
const tally = new Tally();
const home = tempDir("opm-fuzz-home-");
const reproduce = `OPM_FUZZ_SEED=${seed}${scale === 1 ? "" : ` OPM_FUZZ_CASES=${scale * 1000}`} npx vitest run cli/fuzz.test.ts`;

async function clusterUntouched(namespace: string): Promise<string | undefined> {
  const kubeconfig = inject("kubeconfig");
  if (namespace !== EXISTING_NAMESPACE) {
    const ns = await kubeRequest(kubeconfig, "GET", `/api/v1/namespaces/${namespace}`);
    return ns.status === 404 ? undefined : `namespace ${namespace} exists (HTTP ${ns.status})`;
  }
  const left: string[] = [];
  for (const path of [
    "/api/v1/namespaces/NS/configmaps",
    "/api/v1/namespaces/NS/secrets",
    "/api/v1/namespaces/NS/services",
    "/api/v1/namespaces/NS/persistentvolumeclaims",
    "/apis/apps/v1/namespaces/NS/statefulsets",
    "/apis/apps/v1/namespaces/NS/deployments",
  ]) {
    const list = await kubeRequest<{ items: { kind?: string; metadata: { name: string } }[] }>(
      kubeconfig,
      "GET",
      path.replace("NS", namespace),
    );
    for (const item of list.body.items)
      if (item.metadata.name !== "kube-root-ca.crt")
        left.push(`${path.split("/").at(-1)}/${item.metadata.name}`);
  }
  return left.length === 0 ? undefined : `left in ${namespace}: ${left.join(", ")}`;
}

beforeAll(async () => {
  await kubeRequest(inject("kubeconfig"), "POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: EXISTING_NAMESPACE },
  });
});

afterAll(() => {
  // The counts of every run, also a green one: the issue's note quotes them.
  process.stdout.write(`\n${tally.report(seed)}\n`);
});

describe("hostile input (fuzz)", () => {
  it(`refuses every generated input with a coded error (seed ${seed})`, { timeout: 1_800_000 }, async () => {
    const context: CaseContext = { home, clusterUntouched };
    for (const { index, generate } of schedule()) {
      if (only !== undefined && Number(only) !== index) continue;
      const fuzzCase = generate(caseRandom(index));
      tally.add(index, fuzzCase, await runCase(fuzzCase, context));
    }
    expect(
      tally.failures,
      `${tally.report(seed)}\nreproduce: ${reproduce} (one case: OPM_FUZZ_ONLY=<#> as well)`,
    ).toEqual([]);
  });

  it(
    `ends every stalled or exiting input in a real process, in bounded time (seed ${seed})`,
    { timeout: 600_000 },
    async () => {
      // Module code gets 1 s per step; the rest of the bound is Node and tsx starting under load.
      const context: CaseContext = { home, runner: childProcess, boundMs: 30_000 };
      const before = tally.failures.length;
      // Each kind once (a real process costs a Node start): loops, exits and bombs in module
      // code, in values files and in values text.
      for (let kind = 0; kind < PROCESS_KINDS; kind++) {
        const index = 100_000 + kind;
        if (only !== undefined && Number(only) !== index) continue;
        const fuzzCase = processCase(caseRandom(index), kind);
        tally.add(index, fuzzCase, await runCase(fuzzCase, context));
      }
      expect(tally.failures.slice(before), `${tally.report(seed)}\nreproduce: ${reproduce}`).toEqual([]);
    },
  );
});
