import { Command, Option } from "clipanion";
import * as t from "typanion";
import type { RenderRequest } from "../../module/pipeline.ts";
import { verboseReport, warningLines } from "../../output/report.ts";
import {
  connect,
  lockHolder,
  lockTimeoutMs,
  lockTimeoutOption,
  requestTimeoutOption,
  parseDuration,
  releaseInputOf,
} from "./cluster-common.ts";
import { objectLabel, ProgressView } from "./progress-view.ts";
import { renderForRelease, type ReleaseRender } from "./recorded-naming.ts";
import { RenderCommand } from "./render-options.ts";
import { formatData, isDataFormat, outputOption } from "../../output/data.ts";
import type { ClusterClient, ReleaseInput } from "../../../providers/kubernetes/cluster/index.ts";

export class ModApplyCommand extends RenderCommand {
  static override paths = [["mod", "apply"]];
  static override usage = Command.Usage({
    category: "Module commands",
    description: "render a module and apply it to a cluster as one release",
    details: `
      Renders the module like \`opm mod build\`, then applies the whole set atomically: the server
      checks every object in a dry run first, and if any is rejected nothing is written. Objects
      are applied with server-side apply (field manager \`opm\`) in stages: a workload after the
      ConfigMaps, Secrets, ServiceAccounts and PVCs it uses, a custom resource after its CRD, a
      component after the components in its \`dependsOn\`; with \`--wait\` (the default) a stage
      starts when the stage before is ready, all within \`--timeout\`. \`-v\` shows the stage
      plan. Objects the release no longer renders are pruned (last stage first), and the release
      inventory (a Secret) records what the release owns. By default the command then waits
      until every object is healthy.

      Namespaces are never pruned; PersistentVolumeClaims and CRDs only with \`--prune-volumes\` /
      \`--prune-crds\`. Objects that exist but belong to nothing of this release fail the apply
      unless \`--adopt\` is given. An interrupted apply resumes on the next run.
    `,
    examples: [
      ["Apply the module in the current directory", "$0 mod apply -n web"],
      ["Apply an example, creating its namespace", "$0 mod apply examples/blog -n blog --create-namespace"],
      ["Show what the server would do, writing nothing", "$0 mod apply ./app --dry-run=server"],
      ["Apply without waiting for health", "$0 mod apply ./app --no-wait"],
    ],
  });

  dryRun = Option.String("--dry-run", "none", {
    description: "none, client (plan only) or server (the server's dry run; nothing is written)",
    validator: t.isEnum(["none", "client", "server"]),
  });
  wait = Option.Boolean("--wait", true, {
    description: "wait until every object is healthy (--no-wait to skip)",
  });
  timeout = Option.String("--timeout", "5m", { description: "how long --wait waits, e.g. 90s, 5m" });
  forceConflicts = Option.Boolean("--force-conflicts", false, {
    description: "take over fields other managers own",
  });
  fieldManager = Option.String("--field-manager", "opm", { description: "server-side apply field manager" });
  adopt = Option.Boolean("--adopt", false, {
    description: "take over existing objects the release does not own yet",
  });
  createNamespace = Option.Boolean("--create-namespace", false, {
    description: "create the namespace if missing",
  });
  prune = Option.Boolean("--prune", true, {
    description: "delete objects the release no longer renders (--no-prune to keep)",
  });
  pruneVolumes = Option.Boolean("--prune-volumes", false, {
    description: "also prune PersistentVolumeClaims",
  });
  pruneCrds = Option.Boolean("--prune-crds", false, { description: "also prune CustomResourceDefinitions" });
  force = Option.Boolean("--force", false, { description: "allow an empty render to prune every object" });
  forceTakeover = Option.Boolean("--force-takeover", false, {
    description: "apply a release the controller manages, taking it from its ModuleRelease (see mod handoff)",
  });
  maxHistory = Option.String("--max-history", "10", {
    description: "change records kept in the inventory",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isAtLeast(1)]),
  });
  requestTimeout = requestTimeoutOption();

  /** A release that requires interfaces may be wired to what other releases provide. */
  protected override provisionsCluster(): { readonly requestTimeout: string } {
    return { requestTimeout: this.requestTimeout };
  }
  lockTimeout = lockTimeoutOption();
  output = outputOption(["text", "json", "yaml"], "text");

  async run(): Promise<number> {
    return this.applyRequest(this.renderRequest());
  }

  /** Renders and applies; shared with `mod rollback`, which renders a recorded change. */
  protected async applyRequest(request: RenderRequest): Promise<number> {
    const timeoutMs = parseDuration(this.timeout);
    let connected: ClusterClient | undefined;
    const cluster = async () => (connected ??= await connect(this.target(), this.requestTimeout));
    let rendered: ReleaseRender;
    try {
      rendered = await renderForRelease(request, cluster, this.context.cwd, this.context.env, (line) =>
        this.note(line),
      );
    } catch (error) {
      connected?.close();
      throw error;
    }
    const { prepared, naming } = rendered;
    if (this.verbose) this.context.stderr.write(verboseReport(prepared, this.errStyle));
    for (const line of warningLines(prepared.result.warnings, this.errStyle)) this.note(line);
    const { withHistory, recordValues } = await import("../../distribution/history.ts");
    const input = await withHistory(releaseInputOf(prepared.result), prepared.source, {
      naming,
      provider: String(prepared.settings["provider"]?.value ?? "kubernetes"),
    });
    if (input.resources.length === 0 && !this.force) {
      this.note("no resources to apply");
    }
    const client = await cluster();
    const tty = Boolean((this.context.stderr as { isTTY?: boolean }).isTTY);
    const view = new ProgressView(this.context.stderr, this.errStyle, tty);
    const { apply } = await import("../../../providers/kubernetes/cluster/index.ts");
    try {
      await this.checkManager(client, input);
      const result = await apply(input, {
        client,
        dryRun: this.dryRun as "none" | "client" | "server",
        wait: this.wait && this.dryRun === "none",
        timeoutMs,
        forceConflicts: this.forceConflicts,
        fieldManager: this.fieldManager,
        adopt: this.adopt,
        createNamespace: this.createNamespace,
        noPrune: !this.prune,
        prunePvcs: this.pruneVolumes,
        pruneCrds: this.pruneCrds,
        allowEmpty: this.force,
        maxHistory: this.maxHistory,
        holder: lockHolder(this.context.env),
        lockTimeoutMs: lockTimeoutMs(this.lockTimeout),
        onEvent: view.onEvent,
        managedBy: { kind: "cli" },
      });
      view.finish();
      if (this.dryRun === "none") await recordValues(client, input);
      if (isDataFormat(this.output)) {
        this.context.stdout.write(await formatData(this.output, result));
        return 0;
      }
      if (this.dryRun !== "none") {
        for (const o of result.objects)
          this.context.stdout.write(`${objectLabel(o.id).padEnd(48)} ${o.action} (dry run)\n`);
      }
      const counts = ["created", "configured", "unchanged"].map(
        (a) => [a, result.objects.filter((o) => o.action === a).length] as const,
      );
      const parts = counts.filter(([, n]) => n > 0).map(([a, n]) => `${n} ${a}`);
      if (result.pruned.length > 0) parts.push(`${result.pruned.length} pruned`);
      const what = `release ${result.release.name} in namespace ${result.release.namespace}`;
      if (!result.changed && this.dryRun === "none")
        this.context.stdout.write(`${what}: no changes (${result.objects.length} objects unchanged)\n`);
      else
        this.context.stdout.write(
          `${what}${this.dryRun === "none" ? "" : ` (dry run: ${this.dryRun})`}: ${parts.join(", ") || "nothing to do"}\n`,
        );
      return 0;
    } finally {
      view.finish();
      client.close();
    }
  }

  /**
   * A release the controller manages is refused (ReleaseManagedElsewhere) unless
   * --force-takeover takes it back first; a dry run only says so.
   */
  private async checkManager(client: ClusterClient, input: ReleaseInput): Promise<void> {
    const { checkManager, describeManager, managerOf, readInventory, setReleaseManager } =
      await import("../../../providers/kubernetes/cluster/index.ts");
    const ref = {
      name: input.release.name,
      namespace: input.release.namespace,
      identity: input.release.identity,
    };
    const inventory = await readInventory(client, ref);
    if (inventory === undefined || managerOf(inventory).kind === "cli") return;
    const manager = describeManager(managerOf(inventory));
    if (this.dryRun !== "none") {
      this.note(`note: release ${ref.name} is managed by ${manager}; a real apply is refused`);
      return;
    }
    if (!this.forceTakeover) checkManager(inventory, { kind: "cli" });
    await setReleaseManager(client, ref, { kind: "cli" });
    this.note(
      `took release ${ref.name} over from ${manager}: the ModuleRelease now reports ManagedExternally; delete it, or hand the release back with opm mod handoff --release-name ${ref.name} -n ${ref.namespace} --to controller`,
    );
  }
}
