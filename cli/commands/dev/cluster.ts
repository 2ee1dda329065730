// `opm dev cluster up|down|status`: a local Kubernetes control plane for development — the same
// one the test suite uses (etcd, kube-apiserver, controller-manager, scheduler, kwok fake nodes,
// an OCI registry), run by a detached supervisor process (this command in `--foreground` mode).
// `up` merges a context `opm-dev` into the user's kubeconfig and makes it current when none is;
// `down` stops everything and removes the context again.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, Option } from "clipanion";
import * as t from "typanion";
import type * as TestEnv from "../../../testenv/index.ts";
import { OpmCommand } from "../base.ts";

const CONTEXT = "opm-dev";

type StateStore = Pick<typeof TestEnv, "readState" | "writeState" | "clearState" | "isAlive">;

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
  foreground = Option.Boolean("--foreground", false, { hidden: true });

  /** The environment's state file helpers, shared with `npm run testenv`; loaded in run(). */
  private store!: StateStore;

  async run(): Promise<number> {
    this.store = await import("../../../testenv/index.ts");
    const dir = stateDir(this.context.env);
    if (this.foreground) return this.supervise(dir);
    if (this.action === "status") return this.status(dir);
    if (this.action === "down") return this.down(dir);
    return this.up(dir);
  }

  private status(dir: string): number {
    const state = this.store.readState(stateFile(dir));
    if (state === undefined || !this.store.isAlive(state.supervisorPid)) {
      this.context.stdout.write("dev cluster: not running\n");
      return 1;
    }
    this.context.stdout.write(`dev cluster: ${state.phase} since ${state.startedAt}\n`);
    if (state.phase === "ready")
      this.context.stdout.write(
        `context: ${CONTEXT}\nkubeconfig: ${state.kubeconfig ?? ""}\nregistry: ${state.registry ?? ""}\n`,
      );
    return state.phase === "ready" ? 0 : 1;
  }

  private async up(dir: string): Promise<number> {
    const current = this.store.readState(stateFile(dir));
    let supervisor = current?.supervisorPid;
    if (current !== undefined && this.store.isAlive(current.supervisorPid)) {
      if (current.phase === "ready") return this.status(dir);
    } else {
      this.store.clearState(stateFile(dir));
      const { bin, source } = ownExecutable();
      const args = [
        ...(source ? ["--import", "tsx"] : []),
        bin,
        "dev",
        "cluster",
        "up",
        "--foreground",
        "--nodes",
        String(this.nodes),
      ];
      mkdirSync(dir, { recursive: true });
      const log = join(dir, "supervisor.log");
      const { openSync, closeSync } = await import("node:fs");
      const fd = openSync(log, "w");
      const child = spawn(process.execPath, args, {
        detached: true,
        stdio: ["ignore", fd, fd],
        env: { ...process.env, ...this.context.env },
      });
      closeSync(fd);
      child.unref();
      supervisor = child.pid;
      this.note("starting the dev cluster (the first start builds the components; that takes minutes)");
    }
    for (;;) {
      await new Promise((r) => setTimeout(r, 300));
      const state = this.store.readState(stateFile(dir));
      if (state?.phase === "ready") {
        await mergeContext(userKubeconfig(this.kubeconfig, this.context.env), state.kubeconfig);
        this.note(`context ${CONTEXT} added to ${userKubeconfig(this.kubeconfig, this.context.env)}`);
        return this.status(dir);
      }
      if (state?.phase === "failed") {
        this.note(
          `dev cluster failed to start: ${state.error ?? "unknown error"} (log: ${join(dir, "supervisor.log")})`,
        );
        return 1;
      }
      if (!this.store.isAlive(state?.supervisorPid ?? supervisor)) {
        this.note(`the dev cluster supervisor exited (log: ${join(dir, "supervisor.log")})`);
        return 1;
      }
    }
  }

  private async down(dir: string): Promise<number> {
    const state = this.store.readState(stateFile(dir));
    if (state !== undefined && this.store.isAlive(state.supervisorPid)) {
      process.kill(state.supervisorPid, "SIGTERM");
      const deadline = Date.now() + 30_000;
      while (this.store.isAlive(state.supervisorPid) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      if (this.store.isAlive(state.supervisorPid)) process.kill(state.supervisorPid, "SIGKILL");
    }
    this.store.clearState(stateFile(dir));
    await mergeContext(userKubeconfig(this.kubeconfig, this.context.env), undefined);
    this.context.stdout.write("dev cluster: stopped\n");
    return 0;
  }

  /** The detached process: owns the environment until SIGTERM. */
  private async supervise(dir: string): Promise<number> {
    const startedAt = new Date().toISOString();
    this.store.writeState(stateFile(dir), { phase: "starting", supervisorPid: process.pid, startedAt });
    try {
      const { startTestEnv } = await import("../../../testenv/index.ts");
      const workDir = join(dir, "env");
      rmSync(workDir, { recursive: true, force: true });
      const env = await startTestEnv({
        context: CONTEXT,
        workDir,
        nodes: this.nodes,
        progress: (line) => this.note(line),
      });
      this.store.writeState(stateFile(dir), {
        phase: "ready",
        supervisorPid: process.pid,
        kubeconfig: env.kubeconfig,
        registry: env.registry,
        startedAt,
      });
      await new Promise<void>((resolve) => {
        const stop = () => void env.stop().then(resolve, resolve);
        process.once("SIGTERM", stop);
        process.once("SIGINT", stop);
      });
      this.store.clearState(stateFile(dir));
      return 0;
    } catch (error) {
      this.store.writeState(stateFile(dir), {
        phase: "failed",
        supervisorPid: process.pid,
        error: error instanceof Error ? error.message : String(error),
        startedAt,
      });
      return 1;
    }
  }
}
