// The base of commands that act on an applied release (status, tree, events, delete): the release
// is named by --release-name or --release-id (in -n's namespace), or found by rendering the module
// at the path (default: the current directory) and taking its name, id and namespace.
import { Option } from "clipanion";
import type { ReleaseSelector } from "../../../providers/kubernetes/cluster/index.ts";
import { prepareRender } from "../../module/pipeline.ts";
import { checkSelector, requestTimeoutOption, selectorOf } from "./cluster-common.ts";
import { RenderCommand } from "./render-options.ts";

export abstract class ReleaseCommand extends RenderCommand {
  releaseId = Option.String("--release-id", {
    description: "the release's UUID (instead of --release-name or a path)",
  });
  requestTimeout = requestTimeoutOption();

  protected async selector(): Promise<ReleaseSelector> {
    if (this.modulePath === undefined && (this.releaseName !== undefined || this.releaseId !== undefined)) {
      checkSelector(this.releaseName, this.releaseId, undefined);
      const namespace = (await this.target().namespace()).value;
      return selectorOf(namespace, this.releaseName, this.releaseId);
    }
    const prepared = await prepareRender(this.renderRequest(), this.context.cwd, this.context.env);
    const release = prepared.result.release;
    if (release === undefined) {
      const { ProblemList } = await import("../../errors/problem-list.ts");
      throw new ProblemList(
        prepared.result.errors,
        `render failed with ${prepared.result.errors.length} errors`,
      );
    }
    return { namespace: release.namespace, name: release.name, identity: release.identity };
  }
}
