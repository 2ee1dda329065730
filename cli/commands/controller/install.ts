import { Command, Option } from "clipanion";
import * as t from "typanion";
import { formatData, isDataFormat, outputOption } from "../../output/data.ts";
import { KubeCommand } from "../base.ts";
import { connect, lockHolder, requestTimeoutOption } from "../mod/cluster-common.ts";
import { objectLabel, ProgressView } from "../mod/progress-view.ts";

export class ControllerInstallCommand extends KubeCommand {
  static override paths = [["controller", "install"]];
  static override usage = Command.Usage({
    category: "Controller commands",
    description: "install the ModuleRelease CRD and the controller on a cluster",
    details: `
      Applies the ModuleRelease CRD, the controller's namespace (\`-n\`, default \`opm-system\`),
      ServiceAccount, a ClusterRole with exactly what the controller reads and writes (its own
      resources, events, Secrets, and the kinds the Kubernetes provider renders; no wildcards,
      no cluster-admin) and its binding, a Role on the leader-election Lease, a metrics Service,
      and a Deployment of \`--replicas\` (default 2) running \`opm controller run --leader-elect\`
      from \`--image\` (see docs/controller.md for the Dockerfile): one replica reconciles, the
      others wait to take over within the Lease's duration (15s). The set
      is applied as the OPM release \`opm-controller\`: \`opm mod status --release-name
      opm-controller -n opm-system\` shows it, and installing a newer version prunes what it no
      longer needs.

      With \`--dry-run\` nothing is applied and the objects are printed (\`-o yaml\`, the
      default then, or \`-o json\`).
    `,
    examples: [
      [
        "Install with an image you built and pushed",
        "$0 controller install --image registry.example.com/opm:0.1.0",
      ],
      ["One replica only (a failover then waits for a new pod)", "$0 controller install --replicas 1"],
      ["Print the manifests instead", "$0 controller install --dry-run -o yaml > opm-controller.yaml"],
      ["Only the CRD, to run the controller outside the cluster", "$0 controller install --crd-only"],
    ],
  });

  image = Option.String("--image", {
    description: "the image that runs opm (default ghcr.io/open-platform-model/opm:<this version>)",
  });
  concurrency = Option.String("--concurrency", "8", {
    description: "reconciles the installed controller runs at once",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isAtLeast(1), t.isAtMost(64)]),
  });
  replicas = Option.String("--replicas", "2", {
    description: "replicas of the controller; one leads (a Lease), the others stand by",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isAtLeast(1), t.isAtMost(10)]),
  });
  impersonation = Option.Boolean("--allow-impersonation", false, {
    description:
      "let the controller act as the ServiceAccount a ModuleRelease names (it may then impersonate any)",
  });
  crdOnly = Option.Boolean("--crd-only", false, {
    description: "install only the CRD (for `opm controller run` outside the cluster)",
  });
  dryRun = Option.Boolean("--dry-run", false, { description: "print the objects; apply nothing" });
  timeout = Option.String("--timeout", "5m", {
    description: "how long to wait for the controller to be ready",
  });
  wait = Option.Boolean("--wait", true, {
    description: "wait until the controller is ready (--no-wait to skip)",
  });
  output = outputOption(["text", "yaml", "json"], "text");
  requestTimeout = requestTimeoutOption();

  async run(): Promise<number> {
    const { installObjects, installRelease } = await import("../../../controller/install.ts");
    const { VERSION } = await import("../../../sdk/version.ts");
    const { parseDuration } = await import("../mod/cluster-common.ts");
    const options = {
      namespace: this.namespace ?? "opm-system",
      image: this.image ?? `ghcr.io/open-platform-model/opm:${VERSION}`,
      version: VERSION,
      concurrency: this.concurrency,
      replicas: this.replicas,
      impersonation: this.impersonation,
    };
    const objects = installObjects(options).slice(0, this.crdOnly ? 1 : undefined);
    const timeoutMs = parseDuration(this.timeout);
    if (this.dryRun) {
      const format = isDataFormat(this.output) ? this.output : "yaml";
      if (format === "json")
        this.context.stdout.write(
          await formatData("json", { apiVersion: "v1", kind: "List", items: objects }),
        );
      else
        for (const object of objects) this.context.stdout.write(`---\n${await formatData("yaml", object)}`);
      return 0;
    }
    const client = await connect(this.target(), this.requestTimeout);
    const { apply } = await import("../../../providers/kubernetes/cluster/index.ts");
    const tty = Boolean((this.context.stderr as { isTTY?: boolean }).isTTY);
    const view = new ProgressView(this.context.stderr, this.errStyle, tty);
    try {
      const release = installRelease(options);
      const result = await apply(
        {
          release: this.crdOnly ? { ...release, name: `${release.name}-crd` } : release,
          resources: objects.map((object) => ({ object, component: "controller" })),
        },
        {
          client,
          fieldManager: "opm",
          createNamespace: true,
          // The installation's own objects may exist already (a CRD applied by hand): take them over.
          adopt: true,
          wait: this.wait,
          timeoutMs,
          holder: lockHolder(this.context.env),
          onEvent: view.onEvent,
        },
      );
      view.finish();
      if (isDataFormat(this.output)) {
        this.context.stdout.write(await formatData(this.output, result));
        return 0;
      }
      for (const o of result.objects)
        this.context.stdout.write(`${objectLabel(o.id).padEnd(60)} ${o.action}\n`);
      const what = this.crdOnly
        ? "the ModuleRelease CRD"
        : `opm-controller ${VERSION} in namespace ${options.namespace}`;
      this.context.stdout.write(`installed ${what}${result.changed ? "" : " (no changes)"}\n`);
      return 0;
    } finally {
      view.finish();
      client.close();
    }
  }
}
