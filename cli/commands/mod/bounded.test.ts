// Every cluster command is bounded in time: against a server that drops SYNs, one that stalls
// the TLS handshake half way, and one that sends headers and then nothing, each command exits
// with a connectivity error (exit 3) naming the server and what it waited for, within its
// --request-timeout plus 5 s, measured from outside the process. So does a credential plugin
// that never finishes. What the process spends before it talks to the cluster (Node and tsx
// start-up, loading the module) is measured alongside, from a run of `mod build` of the same
// module, and not counted against the bound: on a loaded machine it alone can take seconds, and
// it is not waiting.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHostileServers, type HostileServer } from "../../__tests__/hostile-servers.ts";
import { repoRoot, tempDir } from "../../__tests__/run.ts";
import { mapLimit } from "../../../providers/kubernetes/cluster/limit.ts";

const bin = fileURLToPath(new URL("../../bin.ts", import.meta.url));
const BOUND_MS = 2_000;
const MARGIN_MS = 5_000;
const dir = tempDir("opm-hostile-");
// One HOME for every run, so the module loader's cache is warm after the first.
const home = tempDir("opm-home-");
let servers: HostileServer[] = [];

beforeAll(async () => {
  servers = await startHostileServers(dir);
}, 60_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

interface Outcome {
  readonly code: number | null;
  readonly stderr: string;
  readonly elapsedMs: number;
}

function runOpm(args: string[]): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", bin, ...args], {
      cwd: repoRoot,
      env: { PATH: process.env["PATH"] ?? "", HOME: home, NO_COLOR: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr, elapsedMs: Date.now() - started }));
  });
}

/** The median wall time of three runs that render the test module and contact nothing. */
async function startUpMs(): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const outcome = await runOpm(["mod", "build", "cli/testdata/web", "-n", "hostile"]);
    expect(outcome.code, outcome.stderr).toBe(0);
    runs.push(outcome.elapsedMs);
  }
  return runs.sort((a, b) => a - b)[1]!;
}

const COMMANDS: readonly (readonly string[])[] = [
  ["mod", "apply", "cli/testdata/web", "-n", "hostile"],
  ["mod", "apply", "cli/testdata/web", "-n", "hostile", "--dry-run=client"],
  ["mod", "diff", "cli/testdata/web", "-n", "hostile"],
  ["mod", "status", "--release-name", "web", "-n", "hostile"],
  ["mod", "delete", "--release-name", "web", "-n", "hostile", "-y"],
  ["mod", "list", "-n", "hostile"],
  ["mod", "events", "--release-name", "web", "-n", "hostile"],
  ["mod", "tree", "--release-name", "web", "-n", "hostile"],
];

const WAITED_FOR: Readonly<Record<string, string>> = {
  "black hole": "no TCP connection was established",
  "TLS stall": "the TLS handshake did not complete",
  "headers then stall": "the response did not finish",
};

describe("bounded cluster commands", () => {
  it(
    "end every command against every hung server within the request timeout plus 5s",
    { timeout: 300_000 },
    async () => {
      // Loads tsx's cache once, then measures what a run costs before any cluster call.
      await runOpm(["--version"]);
      const startUp = await startUpMs();
      const cases = servers.flatMap((server) => COMMANDS.map((args) => ({ server, args })));
      // One at a time: parallel start-ups on a loaded machine would measure the machine, not opm.
      const outcomes = await mapLimit(cases, 1, async ({ server, args }) => ({
        server,
        args,
        outcome: await runOpm([
          ...args,
          "--kubeconfig",
          server.kubeconfig,
          "--request-timeout",
          `${BOUND_MS / 1000}s`,
        ]),
      }));
      for (const { server, args, outcome } of outcomes) {
        const what = `${args.join(" ")} against the ${server.name}`;
        expect(outcome.stderr, what).toContain("OPM6015");
        expect(outcome.stderr, what).toContain(server.url);
        expect(outcome.stderr, what).toContain(`${WAITED_FOR[server.name]!} within 2s`);
        expect(outcome.code, what).toBe(3);
        expect(outcome.elapsedMs - startUp, what).toBeLessThan(BOUND_MS + MARGIN_MS);
        expect(outcome.stderr, what).not.toContain("    at ");
      }
    },
  );

  it("ends a command whose credential plugin never finishes", { timeout: 60_000 }, async () => {
    const kubeconfig = join(dir, "hanging-plugin.kubeconfig");
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
current-context: c
clusters:
- name: c
  cluster: {server: "${servers[2]!.url}"}
users:
- name: u
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1, command: sleep, args: ["600"]}
contexts:
- name: c
  context: {cluster: c, user: u}
`,
    );
    const startUp = await startUpMs();
    const outcome = await runOpm([
      "mod",
      "list",
      "-n",
      "x",
      "--kubeconfig",
      kubeconfig,
      "--request-timeout",
      "2s",
    ]);
    expect(outcome.stderr).toContain("OPM6016");
    expect(outcome.stderr).toContain("the credential plugin of context c (sleep) did not finish within 2s");
    expect(outcome.code).toBe(3);
    expect(outcome.elapsedMs - startUp).toBeLessThan(BOUND_MS + MARGIN_MS);
  });
});
