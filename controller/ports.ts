// What the controller needs from the program that runs it. The render is the CLI's own
// composition (find the module, read values, pick the provider, render), injected rather than
// imported: the controller then reconciles with exactly the code `opm mod apply` runs, and this
// folder stays below cli/ in the layering.
import type { ClusterClient, ReleaseInput } from "../providers/kubernetes/cluster/index.ts";
import type { OpmWarning, SetInput } from "../sdk/index.ts";

/** A module named in a ModuleRelease: published, or carried inline. */
export type ModuleSourceSpec =
  | { readonly kind: "registry"; readonly ref: string }
  | { readonly kind: "inline"; readonly files: Readonly<Record<string, string>>; readonly digest: string };

export interface ControllerRenderRequest {
  readonly module: ModuleSourceSpec;
  /** `spec.values`, the lowest layer after the module's defaults. */
  readonly values: { readonly name: string; readonly data: unknown } | undefined;
  /** `spec.valuesFrom` entries without a path: values documents, layered over `values` in order. */
  readonly documents?: readonly { readonly name: string; readonly data: unknown }[];
  /** `spec.valuesFrom` with a path, resolved: one `--set-file` expression each, the Secret's content as the file. */
  readonly set: readonly SetInput[];
  readonly namespace: string;
  readonly releaseName: string;
  /** `spec.naming`: how object names are formed; default the module's `metadata.naming`. */
  readonly naming?: "component" | "release-prefixed" | undefined;
  /** `spec.provider`; default the controller's (OPM_PROVIDER, its config, else kubernetes). */
  readonly provider?: string | undefined;
  /**
   * The client the release acts with: when the module requires an interface none of its own
   * components provides, the render reads what other releases in the target namespace provide
   * through it (their `<release>-opm-provides` ConfigMaps), as `opm mod apply` does.
   */
  readonly client?: ClusterClient;
  readonly signal?: AbortSignal;
}

export interface ControllerRender {
  /** What `apply` takes: the rendered release with its source and values reference. */
  readonly input: ReleaseInput;
  readonly warnings: readonly OpmWarning[];
}

export interface ControllerPorts {
  /** Renders a release as `opm mod apply` would; throws an OpmError (or a ProblemList) when it cannot. */
  readonly render: (request: ControllerRenderRequest) => Promise<ControllerRender>;
  /**
   * A client for another cluster from a kubeconfig's text (a ModuleRelease target's Secret);
   * throws KubeConfigInvalid when it cannot be used. Absent: targets with a kubeConfig fail.
   */
  readonly connect?: (kubeconfig: string, what: string) => ClusterClient;
  /** Frees what renders keep between calls (loaded modules, their engine); the controller's stop calls it. */
  readonly close?: () => Promise<void>;
  /** After a successful apply, keeps what the CLI keeps (the change's values, for history). */
  readonly afterApply?: (client: ClusterClient, input: ReleaseInput) => Promise<void>;
}
