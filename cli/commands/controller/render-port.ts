// The controller's render, wired to the CLI's own composition (prepareRender, the render input
// and history of `opm mod apply`), so a ModuleRelease renders exactly as `opm mod apply <module>
// -n <namespace> --release-name <name>` with the same values would. An inline module is written
// once to a directory named by its content digest (atomically), then loaded like any directory.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { ControllerPorts, ControllerRenderRequest } from "../../../controller/ports.ts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { parse as parseYaml } from "yaml";
import { ClusterClient } from "../../../providers/kubernetes/cluster/index.ts";
import { OpmError } from "../../../sdk/errors.ts";
import { writeTreeAtomically } from "../../../providers/oci/index.ts";
import { Target } from "../../config/target.ts";
import { moduleCacheDir } from "../../distribution/remote.ts";
import { prepareRender } from "../../module/pipeline.ts";
import { releaseInputOf } from "../mod/cluster-common.ts";
import { CueModuleCache } from "./module-cache.ts";

type Env = Readonly<Record<string, string | undefined>>;

export interface RenderPortSettings {
  readonly env: Env;
  readonly cwd: string;
  readonly configPath?: string | undefined;
  readonly registry?: string | undefined;
  /** Where a TS module's own output goes. */
  readonly moduleOutput: NodeJS.WritableStream;
  /** The bound of each call to a target cluster (`--request-timeout`); default the client's. */
  readonly requestTimeoutMs?: number | undefined;
}

/** Fields of a kubeconfig that reach outside it: a program to run, or files of this machine. */
const OUTSIDE = {
  cluster: ["certificate-authority"],
  user: ["exec", "auth-provider", "tokenFile", "client-certificate", "client-key"],
} as const;

/**
 * A client from a kubeconfig held in a Secret. Only what the text itself carries is used: a
 * kubeconfig that runs a program or reads files would let whoever writes the Secret act with
 * the controller's own machine, so it is refused. Loaded through a private file that is removed
 * at once (the cluster library reads kubeconfigs from files).
 */
function connectInline(text: string, what: string, requestTimeoutMs: number | undefined): ClusterClient {
  const invalid = (why: string) =>
    new OpmError("KubeConfigInvalid", {
      message: `${what}: ${why}`,
      hint: "store a kubeconfig with inline credentials (certificate-authority-data, client-certificate-data and client-key-data, or token)",
    });
  let doc: {
    clusters?: { cluster?: Record<string, unknown> }[];
    users?: { user?: Record<string, unknown> }[];
  };
  try {
    doc = (parseYaml(text) ?? {}) as typeof doc;
  } catch {
    throw invalid("not YAML");
  }
  if (typeof doc !== "object" || !Array.isArray(doc.clusters))
    throw invalid("not a kubeconfig (no clusters)");
  for (const [kind, entries] of [
    ["cluster", doc.clusters.map((c) => c.cluster ?? {})],
    ["user", (doc.users ?? []).map((u) => u.user ?? {})],
  ] as const)
    for (const entry of entries)
      for (const field of OUTSIDE[kind])
        if (entry[field] !== undefined)
          throw invalid(`it uses ${field}, which a kubeconfig from a Secret may not`);
  const dir = mkdtempSync(join(tmpdir(), "opm-target-"));
  try {
    const path = join(dir, "kubeconfig");
    writeFileSync(path, text, { mode: 0o600 });
    try {
      return ClusterClient.fromKubeconfig(
        { paths: [path] },
        requestTimeoutMs === undefined ? {} : { requestTimeoutMs },
      );
    } catch (error) {
      throw invalid(error instanceof Error ? error.message.replace(path, "the kubeconfig") : String(error));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function controllerPorts(settings: RenderPortSettings): ControllerPorts {
  const modules = new CueModuleCache({ env: settings.env });
  const render = async (request: ControllerRenderRequest) => {
    const path = await modulePath(request, settings.env);
    const prepared = await prepareRender(
      {
        path,
        values: [],
        valuesData: [...(request.values === undefined ? [] : [request.values]), ...(request.documents ?? [])],
        set: request.set,
        target: Target.of(
          { namespace: request.namespace, configPath: settings.configPath },
          settings.env,
          settings.cwd,
        ),
        releaseName: request.releaseName,
        ...(request.naming === undefined ? {} : { naming: request.naming }),
        provider: request.provider,
        ...(request.client === undefined ? {} : { readProvisions: provisionsReader(request.client) }),
        strict: false,
        registry: settings.registry,
        moduleOutput: settings.moduleOutput,
        loadCueModule: modules.load,
      },
      settings.cwd,
      settings.env,
    );
    const { withHistory } = await import("../../distribution/history.ts");
    const input = await withHistory(releaseInputOf(prepared.result), prepared.source, {
      ...(request.naming === undefined ? {} : { naming: request.naming }),
      provider: String(prepared.settings["provider"]?.value ?? "kubernetes"),
    });
    return { input, warnings: prepared.result.warnings };
  };
  return {
    render: async (request) => {
      try {
        return await render(request);
      } catch (error) {
        // The engine lost the modules it kept (it crashed or restarted): once more, loading afresh.
        if (!(await modules.forgetIfEngineFailed(error))) throw error;
        return render(request);
      }
    },
    close: () => modules.close(),
    connect: (kubeconfig, what) => connectInline(kubeconfig, what, settings.requestTimeoutMs),
    afterApply: async (client, input) => {
      const { recordValues } = await import("../../distribution/history.ts");
      await recordValues(client, input);
    },
  };
}

/** Reads other releases' provisions with the release's own client (the CLI's reader, the same call). */
function provisionsReader(client: ClusterClient) {
  return async (namespace: string, release: string) => {
    const { readClusterProvisions } = await import("../../module/cluster-provisions.ts");
    return readClusterProvisions(client, namespace, release);
  };
}

async function modulePath(request: ControllerRenderRequest, env: Env): Promise<string> {
  if (request.module.kind === "registry") return request.module.ref;
  const dir = join(moduleCacheDir(env), "inline", request.module.digest.replace(":", "-"));
  if ((await stat(dir).catch(() => undefined)) === undefined) {
    const files = new Map(
      Object.entries(request.module.files).map(([name, text]) => [name, Buffer.from(text)]),
    );
    // Two reconciles of one module may race to write it: the loser finds it written.
    await writeTreeAtomically(dir, files).catch(async (error: unknown) => {
      if ((await stat(dir).catch(() => undefined)) === undefined) throw error;
    });
  }
  const ts = Object.keys(request.module.files).find((f) => f.endsWith(".opm.ts") && !f.includes("/"));
  return ts === undefined ? dir : join(dir, ts);
}
