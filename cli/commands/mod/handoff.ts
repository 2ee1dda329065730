import { Command, Option } from "clipanion";
import * as t from "typanion";
import type { ModuleRelease } from "../../../controller/api/types.ts";
import type { ClusterClient, Inventory, ReleaseRef } from "../../../providers/kubernetes/cluster/index.ts";
import { formatData, isDataFormat, outputOption } from "../../output/data.ts";
import { connect, parseDuration } from "./cluster-common.ts";
import { ReleaseCommand } from "./release-command.ts";

// The controller's resource helpers, its zod types and the render are loaded when the command runs.
const load = async () => ({
  ...(await import("./handoff-steps.ts")),
  ...(await import("../../../controller/resource.ts")),
  FIELD_MANAGER: (await import("../../../controller/api/types.ts")).FIELD_MANAGER,
  OpmError: (await import("../../../sdk/errors.ts")).OpmError,
});

export class ModHandoffCommand extends ReleaseCommand {
  static override paths = [["mod", "handoff"]];
  static override usage = Command.Usage({
    category: "Module commands",
    description: "hand a release from the CLI to the in-cluster controller, or back",
    details: `
      \`--to controller\`: the release becomes a ModuleRelease of the same name in its namespace.
      Its module is named by reference when it was applied from a registry, or carried inline
      when it was applied from a local directory (run the handoff where that directory is); its
      values go into a Secret (\`<name>-values\`) the ModuleRelease names, never into the
      resource. First the module is rendered as the controller will render it, and planned
      against the cluster: if that would change anything, the handoff is refused (\`--force\` hands
      over anyway, and the controller then applies its render). Then the release's inventory
      records the controller as its manager, the objects' fields move from the field manager
      \`opm\` to \`opm-controller\` (no object is recreated), and the ModuleRelease is created. By
      default the command waits until the controller has reconciled it.

      \`--to cli\`: the inventory records the CLI again, the fields move back to \`opm\`, and the
      ModuleRelease is deleted without deleting the release's objects.

      While the controller manages a release, \`opm mod apply\` and \`opm mod delete\` refuse it.

      \`-o json\` or \`-o yaml\` prints what was done as data (the release, the ModuleRelease, the
      values Secret, the changes) instead of sentences; notes still go to stderr.
    `,
    examples: [
      ["Hand a release to the controller", "$0 mod handoff --release-name blog -n web --to controller"],
      ["Hand the release of the module here to the controller", "$0 mod handoff . --to controller"],
      ["Take it back", "$0 mod handoff --release-name blog -n web --to cli"],
      [
        "Hand it over and print the outcome as JSON",
        "$0 mod handoff --release-name blog -n web --to controller -o json",
      ],
    ],
  });

  to = Option.String("--to", {
    required: true,
    description: "controller or cli: who manages the release afterwards",
    validator: t.isEnum(["controller", "cli"]),
  });
  interval = Option.String("--interval", "10m", {
    description: "the ModuleRelease's interval (how often drift is corrected)",
  });
  force = Option.Boolean("--force", false, {
    description: "hand over even when the controller's render differs from the release on the cluster",
  });
  wait = Option.Boolean("--wait", true, {
    description: "wait until the controller has reconciled the ModuleRelease (--no-wait to skip)",
  });
  timeout = Option.String("--timeout", "5m", { description: "how long --wait waits, e.g. 90s, 5m" });
  fieldManager = Option.String("--field-manager", "opm", {
    description: "the CLI's server-side apply field manager the fields move from or to",
  });
  output = outputOption(["text", "yaml", "json"], "text");

  async run(): Promise<number> {
    const timeoutMs = parseDuration(this.timeout);
    parseDuration(this.interval);
    const selector = await this.selector();
    const client = await connect(this.target(), this.requestTimeout);
    try {
      const { requireInventory } = await import("../../../providers/kubernetes/cluster/index.ts");
      const inventory = await requireInventory(client, selector);
      return this.to === "controller"
        ? await this.toController(client, inventory, timeoutMs)
        : await this.toCli(client, inventory);
    } finally {
      client.close();
    }
  }

  private async toController(
    client: ClusterClient,
    inventory: Inventory,
    timeoutMs: number,
  ): Promise<number> {
    const { managerOf, describeManager, setReleaseManager, moveFieldManager } =
      await import("../../../providers/kubernetes/cluster/index.ts");
    const { readValues } = await import("../../distribution/history.ts");
    const {
      FIELD_MANAGER,
      choicesOf,
      controllerParity,
      currentChange,
      getRelease,
      handoffObjects,
      moduleOf,
      refused,
      releasesPath,
    } = await load();
    const { release } = inventory;
    const manager = managerOf(inventory);
    if (manager.kind !== "cli")
      throw refused(
        `release ${release.name} in namespace ${release.namespace} is already managed by ${describeManager(manager)}`,
        "nothing to do; to take it back: --to cli",
      );
    const change = currentChange(inventory);
    const name = release.name;
    if ((await client.raw("GET", releasesPath(release.namespace))).status === 404)
      throw refused(
        "the cluster does not serve ModuleReleases",
        "install the controller first: opm controller install",
      );
    if ((await getRelease(client, release.namespace, name)) !== undefined)
      throw refused(
        `a ModuleRelease ${release.namespace}/${name} already exists`,
        "delete it, or change it to manage this release directly; the handoff creates its own",
      );
    const module = await moduleOf(change);
    const values = (await readValues(client, release.namespace, change.source)) ?? {};
    const choices = choicesOf(change);
    const objects = handoffObjects({
      name,
      namespace: release.namespace,
      releaseName: release.name,
      module: module.spec,
      values,
      interval: this.interval,
      choices,
    });
    const parity = await controllerParity(
      client,
      {
        module: module.source,
        values,
        valuesName: objects.secretName,
        namespace: release.namespace,
        releaseName: release.name,
        choices,
      },
      { env: this.context.env, cwd: this.context.cwd, configPath: this.configPath },
    );
    const current = inventory.index[0]!;
    if (parity.changeId !== current) {
      if (!this.force)
        throw refused(
          `the controller would not render what release ${name} has on the cluster (change ${parity.changeId}, the cluster has ${current})`,
          "apply the module with opm mod apply first so the release is what it renders, or pass --force (the controller then applies its render)",
        );
      this.note(
        `note: the controller's render differs from the release (--force): its first reconcile applies it`,
      );
    }

    const ref: ReleaseRef = release;
    const secrets = `/api/v1/namespaces/${encodeURIComponent(release.namespace)}/secrets`;
    await client.json("POST", secrets, `creating Secret ${objects.secretName}`, { body: objects.secret });
    let marked = false;
    let moved = false;
    try {
      await setReleaseManager(client, ref, { kind: "controller", namespace: release.namespace, name });
      marked = true;
      const refs = inventoryRefs(inventory);
      await moveFieldManager(client, refs, this.fieldManager, FIELD_MANAGER);
      moved = true;
      const created = await client.json<ModuleRelease>(
        "POST",
        releasesPath(release.namespace),
        `creating ModuleRelease ${name}`,
        { body: objects.moduleRelease },
      );
      // The values go with the ModuleRelease when it is deleted.
      await client.json(
        "PATCH",
        `${secrets}/${encodeURIComponent(objects.secretName)}`,
        "owning the values",
        {
          contentType: "application/merge-patch+json",
          body: {
            metadata: {
              ownerReferences: [
                { apiVersion: created.apiVersion, kind: created.kind, name, uid: created.metadata.uid },
              ],
            },
          },
        },
      );
    } catch (error) {
      // Nothing half-done stays: the release goes back to the CLI as it was.
      if (moved) await moveFieldManager(client, inventoryRefs(inventory), FIELD_MANAGER, this.fieldManager);
      if (marked) await setReleaseManager(client, ref, { kind: "cli" });
      await client.raw("DELETE", `${secrets}/${encodeURIComponent(objects.secretName)}`);
      throw error;
    }
    const outcome: HandoffOutcome = {
      to: "controller",
      release: { name, namespace: release.namespace },
      moduleRelease: { name, namespace: release.namespace },
      valuesSecret: objects.secretName,
      change: current,
      controllerChange: parity.changeId,
    };
    this.say(
      `release ${name} in namespace ${release.namespace} handed to the controller as ModuleRelease ${release.namespace}/${name}`,
    );
    if (this.wait) {
      const reconciled = await this.awaitReconcile(client, release.namespace, name, timeoutMs);
      const applied = reconciled.status?.lastApplied?.changeId;
      outcome.reconciled = { changeId: applied ?? null, changed: applied !== current };
      this.say(
        applied === current
          ? `the controller reconciled it: no object changed (change ${current})`
          : `the controller reconciled it and applied change ${applied ?? "?"}`,
      );
    }
    return this.printOutcome(outcome);
  }

  /** A sentence for text output; data output prints the outcome instead, at the end. */
  private say(line: string): void {
    if (!isDataFormat(this.output)) this.context.stdout.write(`${line}\n`);
  }

  private async printOutcome(outcome: HandoffOutcome): Promise<number> {
    if (isDataFormat(this.output)) this.context.stdout.write(await formatData(this.output, outcome));
    return 0;
  }

  private async toCli(client: ClusterClient, inventory: Inventory): Promise<number> {
    const { managerOf, describeManager, setReleaseManager, moveFieldManager } =
      await import("../../../providers/kubernetes/cluster/index.ts");
    const { FIELD_MANAGER, deleteModuleRelease, refused } = await load();
    const { release } = inventory;
    const manager = managerOf(inventory);
    if (manager.kind !== "controller")
      throw refused(
        `release ${release.name} in namespace ${release.namespace} is already managed by ${describeManager(manager)}`,
        "nothing to do; to hand it to the controller: --to controller",
      );
    await setReleaseManager(client, release, { kind: "cli" });
    await moveFieldManager(client, inventoryRefs(inventory), FIELD_MANAGER, this.fieldManager);
    // The ModuleRelease goes; its objects stay, now the CLI's. With the record moved, the
    // controller would leave them too; removing its finalizer here needs no running controller.
    const deleted = await deleteModuleRelease(client, manager.namespace, manager.name);
    this.say(
      `release ${release.name} in namespace ${release.namespace} handed back to the CLI; ModuleRelease ${manager.namespace}/${manager.name} deleted, its objects kept`,
    );
    const source = inventory.changes[inventory.index[0] ?? ""]?.source;
    if (source !== undefined)
      this.note(
        `apply it from now on with: opm mod apply ${source.kind === "registry" ? `${source.module}@${source.version ?? ""}` : "<the module's directory>"} -n ${release.namespace} --release-name ${release.name}`,
      );
    return this.printOutcome({
      to: "cli",
      release: { name: release.name, namespace: release.namespace },
      moduleRelease: { name: manager.name, namespace: manager.namespace },
      moduleReleaseDeleted: deleted,
      change: inventory.index[0] ?? null,
    });
  }

  /** The ModuleRelease once Ready at its generation; HandoffIncomplete after the timeout. */
  private async awaitReconcile(
    client: ClusterClient,
    namespace: string,
    name: string,
    timeoutMs: number,
  ): Promise<ModuleRelease> {
    const { getRelease, OpmError } = await load();
    const deadline = Date.now() + timeoutMs;
    let last: ModuleRelease | undefined;
    while (Date.now() < deadline) {
      last = await getRelease(client, namespace, name);
      const ready = last?.status?.conditions?.find((c) => c.type === "Ready");
      if (ready?.status === "True" && last?.status?.observedGeneration === last?.metadata.generation)
        return last!;
      await new Promise((r) => setTimeout(r, 500));
    }
    const ready = last?.status?.conditions?.find((c) => c.type === "Ready");
    throw new OpmError("HandoffIncomplete", {
      message: `the release is the controller's now, but ModuleRelease ${namespace}/${name} was not Ready within ${this.timeout}${ready === undefined ? " (no controller has reconciled it)" : ` (${ready.reason}: ${ready.message})`}`,
      hint: "is the controller running? opm controller install, or opm controller run; kubectl describe modulerelease shows what it reports",
    });
  }
}

/** What `-o json|yaml` prints: who manages the release now, and what the handoff did. */
interface HandoffOutcome {
  to: "controller" | "cli";
  release: { name: string; namespace: string };
  moduleRelease: { name: string; namespace: string };
  /** The release's current change on the cluster (its inventory's head). */
  change: string | null;
  /** --to controller: the Secret holding the values the ModuleRelease names. */
  valuesSecret?: string;
  /** --to controller: the change the controller's render makes (differs from `change` only with --force). */
  controllerChange?: string;
  /** --to controller, waited for: the change the controller's first reconcile left, and whether it applied one. */
  reconciled?: { changeId: string | null; changed: boolean };
  /** --to cli: whether a ModuleRelease was there to delete. */
  moduleReleaseDeleted?: boolean;
}

function inventoryRefs(inventory: Inventory) {
  const head = inventory.changes[inventory.index[0] ?? ""];
  return (head?.entries ?? []).map((e) => e.ref);
}
