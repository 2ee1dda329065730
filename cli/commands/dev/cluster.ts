// `opm dev cluster up|down|status`: a local Kubernetes control plane for development — the same
// one the test suite uses (etcd, kube-apiserver, controller-manager, scheduler, kwok fake nodes,
// an OCI registry), run by a detached supervisor process (this command in `--foreground` mode)
// through testenv's supervision, like `npm run testenv -- up`.
// `up` merges a context `opm-dev` into the user's kubeconfig and makes it current when none is;
// `down` stops everything and removes the context again.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, Option } from "clipanion";
import * as t from "typanion";
import type * as TestEnv from "../../../testenv/index.ts";
import { OpmCommand } from "../base.ts";
import { parseDuration } from "../mod/cluster-common.ts";

const CONTEXT = "opm-dev";

/** The supervision helpers of `testenv`, shared with `npm run testenv`; loaded in run(). */
type Supervision = Pick<
  typeof TestEnv,
  "runningState" | "spawnSupervisor" | "stopSupervisor" | "supervise" | "waitUntilReady"
>;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The `opm` entry this process runs from, to start the supervisor with: the package's executable
 * beside the bundle (dist/opm/bin.cjs), cli/bin.ts in the sources and dist/cli/bin.js in tsc's
 * output.
 */
function ownExecutable(): { bin: string; source: boolean } {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, "bin.cjs"),
    join(here, "..", "..", "bin.ts"),
    join(here, "..", "..", "bin.js"),
    join(here, "..", "cli", "bin.js"),
  ];
  const bin = candidates.find((c) => existsSync(c));
  if (bin === undefined) throw new Error(`cannot find the opm executable near ${here}`);
  return { bin, source: bin.endsWith(".ts") };
}

function stateDir(env: Env): string {
  return join(env["HOME"] ?? homedir(), ".opm", "dev-cluster");
}

function stateFile(dir: string): string {
  return join(dir, "state.json");
}

/** The user's kubeconfig file that receives the context: --kubeconfig, KUBECONFIG's first entry, ~/.kube/config. */
function userKubeconfig(flag: string | undefined, env: Env): string {
  const first = (env["KUBECONFIG"] ?? "").split(delimiter).find((p) => p !== "");
  return flag ?? first ?? join(env["HOME"] ?? homedir(), ".kube", "config");
}

type Named = { name: string };
type KubeconfigDoc = {
  clusters?: Named[];
  users?: Named[];
  contexts?: Named[];
  "current-context"?: string;
  [k: string]: unknown;
};

async function mergeContext(target: string, devKubeconfig: string | undefined): Promise<void> {
  const { parse, stringify } = await import("yaml");
  const doc = (
    existsSync(target) ? (parse(readFileSync(target, "utf8")) ?? {}) : { apiVersion: "v1", kind: "Config" }
  ) as KubeconfigDoc;
  const keep = (list: Named[] | undefined, name: string) => (list ?? []).filter((x) => x.name !== name);
  doc.clusters = keep(doc.clusters, CONTEXT);
  doc.users = keep(doc.users, `${CONTEXT}-admin`);
  doc.contexts = keep(doc.contexts, CONTEXT);
  if (devKubeconfig !== undefined) {
    const dev = parse(readFileSync(devKubeconfig, "utf8")) as KubeconfigDoc;
    doc.clusters.push(...(dev.clusters ?? []));
    doc.users.push(...(dev.users ?? []));
    doc.contexts.push(...(dev.contexts ?? []));
    if (!doc["current-context"]) doc["current-context"] = CONTEXT;
  } else if (doc["current-context"] === CONTEXT) {
    delete doc["current-context"];
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, stringify(doc), { mode: 0o600 });
}

export class DevClusterCommand extends OpmCommand {
  static override paths = [["dev", "cluster"]];
  static override usage = Command.Usage({
    category: "Development commands",
    description: "run a local Kubernetes control plane with fake nodes for development",
    details: `
      \`up\` builds (first time: a few minutes) and starts etcd, kube-apiserver,
      kube-controller-manager, kube-scheduler, kwok (fake nodes: Deployments become Available,
      Jobs complete) and an OCI registry, then adds the context \`${CONTEXT}\` to your kubeconfig.
      \`status\` shows whether it runs; \`down\` stops it and removes the context.
    `,
    examples: [
      [
        "Start it and apply an example",
        "$0 dev cluster up && $0 mod apply examples/blog --context opm-dev -n blog --create-namespace",
      ],
      ["Stop it", "$0 dev cluster down"],
    ],
  });

  action = Option.String({ name: "up|down|status", validator: t.isEnum(["up", "down", "status"]) });
  kubeconfig = Option.String("--kubeconfig", {
    description: "kubeconfig file to add the context to (default: KUBECONFIG's first file, ~/.kube/config)",
  });
  nodes = Option.String("--nodes", "2", {
    description: "fake nodes",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isAtLeast(1)]),
  });
  timeout = Option.String("--timeout", "20m", {
    description: "how long `up` waits for the cluster (the first start builds its components)",
  });
  foreground = Option.Boolean("--foreground", false, { hidden: true });

  private testenv!: Supervision;

  async run(): Promise<number> {
    this.testenv = await import("../../../testenv/index.ts");
    const dir = stateDir(this.context.env);
    if (this.foreground)
      return this.testenv.supervise({
        stateFile: stateFile(dir),
        workDir: join(dir, "env"),
        context: CONTEXT,
        nodes: this.nodes,
        progress: (line) => this.note(line),
      });
    if (this.action === "status") return this.status(dir);
    if (this.action === "down") return this.down(dir);
    return this.up(dir);
  }

  private status(dir: string): number {
    const running = this.testenv.runningState(stateFile(dir));
    if (running === undefined) {
      this.context.stdout.write("dev cluster: not running\n");
      return 1;
    }
    const { state, exited } = running;
    const broken = exited.length === 0 ? "" : ` (${exited.length} component(s) exited)`;
    this.context.stdout.write(`dev cluster: ${state.phase}${broken} since ${state.startedAt}\n`);
    if (state.phase === "ready")
      this.context.stdout.write(
        `context: ${CONTEXT}\nkubeconfig: ${state.kubeconfig ?? ""}\nregistry: ${state.registry ?? ""}\n`,
      );
    return state.phase === "ready" && exited.length === 0 ? 0 : 1;
  }

  private async up(dir: string): Promise<number> {
    const running = this.testenv.runningState(stateFile(dir));
    if (running?.state.phase === "ready") return this.status(dir);
    const log = join(dir, "supervisor.log");
    let supervisorPid = running?.state.supervisorPid;
    if (supervisorPid === undefined) {
      const { bin, source } = ownExecutable();
      supervisorPid = this.testenv.spawnSupervisor({
        command: process.execPath,
        args: [
          ...(source ? ["--import", "tsx"] : []),
          bin,
          ...["dev", "cluster", "up", "--foreground", "--nodes", String(this.nodes)],
        ],
        log,
        env: { ...process.env, ...this.context.env },
      });
      this.note("starting the dev cluster (the first start builds the components; that takes minutes)");
    }
    const ready = await this.testenv.waitUntilReady({
      stateFile: stateFile(dir),
      supervisorPid,
      log,
      timeoutMs: parseDuration(this.timeout),
      onLog: (line) => this.note(`dev cluster: ${line}`),
    });
    const kubeconfig = userKubeconfig(this.kubeconfig, this.context.env);
    await mergeContext(kubeconfig, ready.kubeconfig);
    this.note(`context ${CONTEXT} added to ${kubeconfig}`);
    return this.status(dir);
  }

  private async down(dir: string): Promise<number> {
    await this.testenv.stopSupervisor(stateFile(dir), 30_000);
    await mergeContext(userKubeconfig(this.kubeconfig, this.context.env), undefined);
    this.context.stdout.write("dev cluster: stopped\n");
    return 0;
  }
}
