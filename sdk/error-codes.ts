// The one registry of error codes, for every layer. Every problem OPM reports carries a code
// from this table; docs/errors.md is generated from it (`npm run docs:cli`) and a test fails
// when the page is stale. Codes are never reused: retire a code by marking it `retired` (and
// naming its successor in the summary), never by deleting or renumbering it.
//
// Ranges, each owned by one layer: OPM1xxx identity and names, OPM2xxx values and config,
// OPM3xxx render (match, order, duplicates), OPM4xxx transformer execution (sdk); OPM5xxx the
// CUE engine and CUE bindings (bridge); OPM6xxx the cluster side (providers); OPM7xxx the CLI
// and its configuration (cli); OPM8xxx authoring: OPM80xx module code, OPM81xx TS -> CUE (dsl);
// OPM90xx distribution: registries, artefacts, signatures (providers/oci); OPM97xx the in-cluster
// controller (controller); OPM99xx the test
// environment behind `opm dev cluster` (testenv). The table lives in sdk because every layer
// imports sdk, and one table cannot drift apart.

/** What kind of failure a code describes; the CLI maps each category to one exit code. */
export type ErrorCategory =
  /** Input does not satisfy a schema or a rule (exit 2). */
  | "validation"
  /** Rendering found a problem in the module or its transformers (exit 2). */
  | "render"
  /** The cluster or a registry cannot be reached, or did not answer in time (exit 3). */
  | "connectivity"
  /** Credentials were refused (exit 4). */
  | "permission"
  /** Something named does not exist: a path, a file, a release (exit 5). */
  | "not-found"
  /** The cluster refused or interrupted an operation (exit 1). */
  | "cluster"
  /** A command could not do its job for another reason: usage, files, refusals (exit 1). */
  | "failure"
  /** A bug or an environment fault in OPM itself (exit 1). */
  | "internal";

/**
 * For render problems, the step of the pipeline that found them; `opm mod vet` prints one
 * check line per stage, so the grouping lives with the codes instead of in code prefixes.
 */
export type RenderStage = "values" | "identity" | "wiring" | "match" | "transform" | "policy" | "order";

interface CodeEntry {
  readonly code: `OPM${number}`;
  readonly category: ErrorCategory;
  readonly summary: string;
  readonly stage?: RenderStage;
  readonly retired?: true;
}

/** Every error code, keyed by a stable name for code to use. */
export const ErrorCodes = {
  // OPM1xxx identity and names (sdk)
  InvalidName: {
    code: "OPM1001",
    category: "validation",
    stage: "identity",
    summary: "a name is not an RFC-1123 DNS label",
  },
  InvalidVersion: {
    code: "OPM1002",
    category: "validation",
    stage: "identity",
    summary: "a version is not SemVer 2.0",
  },
  InvalidApiVersion: {
    code: "OPM1003",
    category: "validation",
    stage: "identity",
    summary: "an apiVersion is malformed",
  },
  InvalidFqn: {
    code: "OPM1004",
    category: "validation",
    stage: "identity",
    summary: "a fully qualified name is malformed",
  },
  InvalidLabel: {
    code: "OPM1005",
    category: "validation",
    stage: "identity",
    summary: "a label key or value is invalid",
  },
  LabelConflict: {
    code: "OPM1006",
    category: "validation",
    stage: "identity",
    summary: "two sources give one label different values",
  },
  InvalidSpecKey: {
    code: "OPM1007",
    category: "validation",
    stage: "identity",
    summary: "a definition's spec key breaks the rule",
  },

  // OPM2xxx values and config (sdk)
  InvalidValues: {
    code: "OPM2001",
    category: "validation",
    stage: "values",
    summary: "a value does not satisfy the config schema",
  },
  ValuesParse: {
    code: "OPM2002",
    category: "validation",
    stage: "values",
    summary: "a values file cannot be parsed",
  },
  InvalidSetExpression: {
    code: "OPM2003",
    category: "validation",
    stage: "values",
    summary: "a --set expression is malformed",
  },
  InvalidValuesData: {
    code: "OPM2004",
    category: "validation",
    stage: "values",
    summary: "values hold something that is not plain data",
  },
  ConfigCheckFailed: {
    code: "OPM2005",
    category: "render",
    stage: "values",
    summary: "the module's config check threw instead of reporting what is wrong",
  },

  // OPM3xxx render (sdk)
  UnmatchedComponent: {
    code: "OPM3001",
    category: "render",
    stage: "match",
    summary: "no transformer matched a component",
  },
  UnhandledTrait: {
    code: "OPM3002",
    category: "render",
    stage: "match",
    summary: "no matching transformer handles a trait",
  },
  DuplicateObject: {
    code: "OPM3003",
    category: "render",
    stage: "transform",
    summary: "two outputs are the same object",
  },
  InvalidOutput: {
    code: "OPM3004",
    category: "render",
    stage: "transform",
    summary: "a transformer output is not an object",
  },
  ComponentsUnresolved: {
    code: "OPM3005",
    category: "render",
    stage: "transform",
    summary: "a module's components cannot be built",
  },
  BlueprintConflict: {
    code: "OPM3006",
    category: "render",
    stage: "transform",
    summary: "a blueprint and a component disagree",
  },
  SpecNotAllowed: {
    code: "OPM3007",
    category: "validation",
    stage: "transform",
    summary: "a component spec field belongs to none of its definitions",
  },
  InvalidSpec: {
    code: "OPM3008",
    category: "validation",
    stage: "transform",
    summary: "a component spec violates a definition's schema",
  },
  UnhandledResource: {
    code: "OPM3009",
    category: "render",
    stage: "match",
    summary: "no matched transformer renders a resource of a component (it would be dropped)",
  },
  ConflictingSecrets: {
    code: "OPM3010",
    category: "validation",
    stage: "transform",
    summary: "two secrets claim one Secret key, or a Secret mixes literals with External Secrets",
  },
  DependencyCycle: {
    code: "OPM3020",
    category: "render",
    stage: "order",
    summary: "components depend on each other in a cycle (dependsOn, or references that close one)",
  },
  UnknownDependency: {
    code: "OPM3021",
    category: "render",
    stage: "order",
    summary: "a component's dependsOn names no component of the module",
  },

  // OPM31xx policies enforced at render (sdk)
  PolicyViolation: {
    code: "OPM3101",
    category: "validation",
    stage: "policy",
    summary: "a component breaks a policy rule (an error when the rule blocks, a warning when it warns)",
  },
  PolicyNotEnforced: {
    code: "OPM3102",
    category: "render",
    stage: "policy",
    summary: "a policy rule has no check and the provider does not implement it (a warning)",
  },
  PolicyCheckFailed: {
    code: "OPM3103",
    category: "render",
    stage: "policy",
    summary: "a policy rule's check threw",
  },
  PolicyRuleUnknown: {
    code: "OPM3104",
    category: "validation",
    stage: "policy",
    summary: "a platform policy names a rule that is not in the catalog",
  },
  PolicyUnresolved: {
    code: "OPM3105",
    category: "render",
    stage: "policy",
    summary: "a module's policies cannot be read with the release's values (a field does not evaluate)",
  },

  // OPM33xx interfaces between components (sdk)
  InterfaceUnfulfilled: {
    code: "OPM3301",
    category: "validation",
    stage: "wiring",
    summary:
      "a component requires an interface that no other component of the module and no other release in the namespace provides",
  },
  InterfaceAmbiguous: {
    code: "OPM3302",
    category: "validation",
    stage: "wiring",
    summary: "more than one component or release provides an interface a component requires",
  },
  InvalidProvision: {
    code: "OPM3303",
    category: "validation",
    stage: "wiring",
    summary:
      "a component provides an interface with values its shape rejects, or under an invalid local name",
  },

  // OPM4xxx transformer execution (sdk)
  TransformFailed: {
    code: "OPM4001",
    category: "render",
    stage: "transform",
    summary: "a transformer threw",
  },
  MatchFailed: {
    code: "OPM4002",
    category: "render",
    stage: "match",
    summary: "a transformer's match predicate threw",
  },
  PatchTargetMissing: {
    code: "OPM4003",
    category: "render",
    stage: "transform",
    summary: "a component's patch targets an object the release does not render",
  },
  InvalidPatch: {
    code: "OPM4004",
    category: "render",
    stage: "transform",
    summary: "a component's patch cannot be applied (malformed, a missing path, or it renames the object)",
  },

  // OPM50xx the CUE engine (bridge): answers of the engine, then faults around it
  EngineInvalidRequest: {
    code: "OPM5001",
    category: "internal",
    summary: "the CUE engine refused a malformed request",
  },
  EngineUnknownMethod: {
    code: "OPM5002",
    category: "internal",
    summary: "the CUE engine does not know the method asked for (version mismatch)",
  },
  EngineUnknownHandle: {
    code: "OPM5003",
    category: "internal",
    summary: "a CUE value was used after it was released",
  },
  CueEvaluation: { code: "OPM5004", category: "validation", summary: "CUE source does not evaluate" },
  CueLoad: { code: "OPM5005", category: "validation", summary: "a CUE package or module cannot be loaded" },
  CuePathNotFound: { code: "OPM5006", category: "validation", summary: "no CUE value at the path asked for" },
  EngineMemoryLimit: {
    code: "OPM5007",
    category: "failure",
    summary: "the CUE engine reached its memory limit",
  },
  EngineInternal: { code: "OPM5008", category: "internal", summary: "the CUE engine failed unexpectedly" },
  EngineUnavailable: {
    code: "OPM5009",
    category: "internal",
    summary: "no CUE engine can be started (neither the native binary nor the wasm module)",
  },
  EngineCrashed: {
    code: "OPM5010",
    category: "internal",
    summary: "the CUE engine process died during a request",
  },
  EngineTimeout: { code: "OPM5011", category: "failure", summary: "a CUE engine request took too long" },
  EngineAborted: { code: "OPM5012", category: "failure", summary: "a CUE engine request was cancelled" },
  EngineClosed: { code: "OPM5013", category: "internal", summary: "the CUE engine was used after close()" },
  HandleInvalidated: {
    code: "OPM5014",
    category: "internal",
    summary: "a CUE value belongs to an engine that has restarted since",
  },
  EngineProtocol: {
    code: "OPM5015",
    category: "internal",
    summary: "the CUE engine answered something that is not the protocol",
  },

  // OPM51xx TS bindings generated from CUE definitions (bridge/codegen)
  BindingsPackageNotLoaded: {
    code: "OPM5101",
    category: "validation",
    summary: "a CUE package of definitions cannot be loaded",
  },
  BindingsNoDefinitions: {
    code: "OPM5102",
    category: "validation",
    summary: "a CUE package has no resource, trait, blueprint or policy rule definitions",
  },
  BindingsDefinitionWithoutSpec: {
    code: "OPM5103",
    category: "validation",
    summary: "a definition does not declare its #spec",
  },
  BindingsUnresolvedReference: {
    code: "OPM5104",
    category: "validation",
    summary: "a definition refers to one that is neither in the package nor in the catalog",
  },

  // OPM6xxx the cluster side (providers/kubernetes/cluster)
  ClusterUnreachable: { code: "OPM6001", category: "connectivity", summary: "the cluster cannot be reached" },
  ClusterForbidden: {
    code: "OPM6002",
    category: "permission",
    summary: "the cluster refused the credentials",
  },
  ClusterNotFound: {
    code: "OPM6003",
    category: "not-found",
    summary: "an object or API is not on the cluster",
  },
  FieldConflict: { code: "OPM6004", category: "cluster", summary: "another field manager owns a field" },
  ObjectRejected: { code: "OPM6005", category: "cluster", summary: "the cluster rejected an object" },
  InventoryConflict: { code: "OPM6006", category: "cluster", summary: "the release changed during apply" },
  ObjectNotOwned: {
    code: "OPM6007",
    category: "cluster",
    summary: "an object exists but is not the release's",
  },
  ObjectTerminating: { code: "OPM6008", category: "cluster", summary: "an object is being deleted" },
  EmptyRenderPrune: {
    code: "OPM6009",
    category: "cluster",
    summary: "an empty render would prune everything",
  },
  WaitTimeout: { code: "OPM6010", category: "cluster", summary: "objects did not become ready in time" },
  ReleaseNotFound: { code: "OPM6011", category: "not-found", summary: "no release inventory on the cluster" },
  ClusterRequestFailed: { code: "OPM6012", category: "cluster", summary: "a cluster request failed" },
  KubeconfigUnusable: {
    code: "OPM6013",
    category: "connectivity",
    summary: "no usable kubeconfig or context",
  },
  ApplyInterrupted: { code: "OPM6014", category: "cluster", summary: "an apply stopped before it finished" },
  ClusterTimeout: {
    code: "OPM6015",
    category: "connectivity",
    summary: "the cluster did not answer within the request timeout",
  },
  CredentialPluginFailed: {
    code: "OPM6016",
    category: "connectivity",
    summary: "the kubeconfig's credential plugin failed or timed out",
  },
  ReleaseLocked: {
    code: "OPM6017",
    category: "cluster",
    summary: "another run holds the release (apply or delete in progress)",
  },
  QuotaExceeded: {
    code: "OPM6018",
    category: "cluster",
    summary: "the objects would exceed a ResourceQuota of the namespace",
  },
  ObjectOfOtherRelease: {
    code: "OPM6019",
    category: "cluster",
    summary: "an object of the render belongs to another release (a name clash between releases)",
  },
  ReleaseManagedElsewhere: {
    code: "OPM6020",
    category: "cluster",
    summary: "the release is managed by the controller (a ModuleRelease) or by the CLI, not by who asked",
  },
  InventoryInvalid: {
    code: "OPM6021",
    category: "cluster",
    summary:
      "a release inventory Secret is damaged, of another release, or in a format this opm does not read",
  },

  // OPM7xxx the CLI and its configuration (cli)
  Usage: {
    code: "OPM7001",
    category: "failure",
    summary: "the command line is not valid (unknown command, bad flag)",
  },
  ModuleNotFound: { code: "OPM7002", category: "not-found", summary: "no module at the given path" },
  ModuleAmbiguous: {
    code: "OPM7003",
    category: "validation",
    summary: "a directory holds several *.opm.ts files and none is module.opm.ts",
  },
  ModuleLoadFailed: {
    code: "OPM7004",
    category: "validation",
    summary: "a module file cannot be loaded, or does not export a module",
  },
  ModuleLanguageUnsupported: {
    code: "OPM7005",
    category: "validation",
    summary: "the module's language is not supported by this command yet",
  },
  ValuesFileNotFound: { code: "OPM7006", category: "not-found", summary: "a -f values file does not exist" },
  ValuesFileUnsupported: {
    code: "OPM7007",
    category: "validation",
    summary: "a -f values file has an extension opm cannot read",
  },
  UnknownProvider: { code: "OPM7008", category: "validation", summary: "the provider named is not known" },
  ProviderAmbiguous: {
    code: "OPM7009",
    category: "validation",
    summary: "several providers are configured and none was chosen",
  },
  RenderFailed: { code: "OPM7010", category: "validation", summary: "rendering reported errors" },
  DirectoryExists: {
    code: "OPM7011",
    category: "validation",
    summary: "the target directory already exists",
  },
  InvalidModuleName: {
    code: "OPM7012",
    category: "validation",
    summary: "a new module's name is not a DNS label",
  },
  OutputWriteFailed: { code: "OPM7013", category: "failure", summary: "output files cannot be written" },
  ConfigNotFound: {
    code: "OPM7014",
    category: "not-found",
    summary: "the configuration file does not exist",
  },
  ConfigExists: { code: "OPM7015", category: "failure", summary: "the configuration file already exists" },
  ConfigInvalid: {
    code: "OPM7016",
    category: "validation",
    summary: "the configuration does not satisfy the config schema",
  },
  RetiredCliCueEvaluation: {
    code: "OPM7017",
    category: "validation",
    summary: "retired: CUE evaluation problems are OPM5004",
    retired: true,
  },
  RetiredCliEngineUnavailable: {
    code: "OPM7018",
    category: "internal",
    summary: "retired: an engine that cannot start is OPM5009",
    retired: true,
  },
  KubeconfigInvalid: { code: "OPM7019", category: "validation", summary: "a kubeconfig file cannot be read" },
  InvalidObject: {
    code: "OPM7020",
    category: "validation",
    stage: "transform",
    summary: "a rendered object lacks apiVersion, kind or a valid name",
  },
  BindingsFailed: {
    code: "OPM7021",
    category: "validation",
    summary: "TS bindings cannot be generated from a CUE package of definitions",
  },
  ValuesFileInvalid: {
    code: "OPM7030",
    category: "validation",
    summary: "a TS values file has no default export",
  },
  SopsNoKey: {
    code: "OPM7040",
    category: "failure",
    summary: "a SOPS values file is given but no age key is (SOPS_AGE_KEY_FILE, SOPS_AGE_KEY)",
  },
  SopsWrongKey: {
    code: "OPM7041",
    category: "permission",
    summary: "none of the age keys given can decrypt a SOPS values file",
  },
  SopsInvalid: {
    code: "OPM7042",
    category: "validation",
    summary: "a SOPS values file is malformed, or not encrypted to an age recipient",
  },
  SopsTampered: {
    code: "OPM7043",
    category: "validation",
    summary: "a SOPS values file fails its MAC or a value fails authentication",
  },
  Internal: { code: "OPM7999", category: "internal", summary: "an unexpected error (a bug in opm)" },

  // OPM80xx module code (dsl)
  DuplicateSpec: {
    code: "OPM8001",
    category: "validation",
    summary: "a component or policy is given one definition's spec twice",
  },
  ComponentLabelConflict: {
    code: "OPM8002",
    category: "validation",
    summary: "the definitions of a component give one label different values",
  },
  InvalidModule: {
    code: "OPM8003",
    category: "validation",
    summary: "a module file does not export a valid module",
  },
  ModuleLoad: { code: "OPM8004", category: "validation", summary: "a module file cannot be compiled or run" },
  ZodVersion: {
    code: "OPM8005",
    category: "failure",
    summary: "the project resolves a zod other than the peer dependency's ^4 (zod 3, say)",
  },
  // Module code runs in a worker thread under a time bound (cli/module/runner.ts).
  ModuleTimeout: {
    code: "OPM8006",
    category: "failure",
    summary: "module code did not finish within the time bound (--module-timeout)",
  },
  ModuleExited: {
    code: "OPM8007",
    category: "validation",
    summary: "module code called process.exit",
  },
  ModuleCrashed: {
    code: "OPM8008",
    category: "validation",
    summary: "module code threw where nothing awaited it (a timer, a late rejection)",
  },

  // OPM81xx TS -> CUE compilation of module code (dsl/compile)
  TsUnsupported: {
    code: "OPM8101",
    category: "validation",
    summary: "module code uses a construct outside the TS -> CUE subset (docs/ts-to-cue.md)",
  },
  TsNoModule: {
    code: "OPM8102",
    category: "validation",
    summary: "the file has no `export default defineModule({...})` the compiler can read",
  },
  TsNotStatic: {
    code: "OPM8103",
    category: "validation",
    summary: "a value that must be known at compile time (metadata, values) depends on config",
  },

  // OPM90xx distribution: registries, artefacts, signatures, modules (providers/oci)
  InvalidReference: {
    code: "OPM9001",
    category: "validation",
    summary: "an artefact or module reference is malformed",
  },
  RegistryUnreachable: {
    code: "OPM9002",
    category: "connectivity",
    summary: "a registry cannot be reached or did not answer in time",
  },
  RegistryUnauthorized: {
    code: "OPM9003",
    category: "permission",
    summary: "a registry refused the credentials, or none were found",
  },
  ArtifactNotFound: {
    code: "OPM9004",
    category: "not-found",
    summary: "a repository, tag, manifest or blob is not in the registry",
  },
  RegistryRequestFailed: {
    code: "OPM9005",
    category: "failure",
    summary: "a registry answered a request with an error",
  },
  DigestMismatch: {
    code: "OPM9006",
    category: "validation",
    summary: "downloaded content does not match its digest",
  },
  SizeLimitExceeded: {
    code: "OPM9007",
    category: "validation",
    summary: "a manifest, blob or archive is larger than allowed",
  },
  UnsafeArchive: {
    code: "OPM9008",
    category: "validation",
    summary: "an archive holds a path outside its root, a link or a duplicate",
  },
  CredentialHelperFailed: {
    code: "OPM9009",
    category: "permission",
    summary: "a docker-credential-* helper failed or timed out",
  },
  InvalidManifest: {
    code: "OPM9010",
    category: "validation",
    summary: "a manifest is not what the artefact type requires",
  },
  InvalidModuleVersion: {
    code: "OPM9011",
    category: "validation",
    summary: "a version is not strict SemVer (vX.Y.Z)",
  },
  VersionExists: {
    code: "OPM9012",
    category: "validation",
    summary: "the version is already published (use --force to overwrite)",
  },
  InvalidModuleFile: {
    code: "OPM9013",
    category: "validation",
    summary: "cue.mod/module.cue is missing or malformed",
  },
  NoRegistry: {
    code: "OPM9014",
    category: "validation",
    summary: "no registry is configured for a module path",
  },
  SignatureInvalid: {
    code: "OPM9015",
    category: "validation",
    summary: "a signature does not verify against the key, or none exists",
  },
  InvalidKey: {
    code: "OPM9016",
    category: "validation",
    summary: "a signing or verification key cannot be read",
  },
  PublishMismatch: {
    code: "OPM9017",
    category: "validation",
    summary: "a TS module compiled to CUE does not render the same as the TS module",
  },
  DependencyConflict: {
    code: "OPM9018",
    category: "validation",
    summary: "module dependencies cannot be resolved",
  },
  InvalidCrd: {
    code: "OPM9019",
    category: "validation",
    summary: "a CustomResourceDefinition cannot be read or converted",
  },
  InvalidTemplate: {
    code: "OPM9020",
    category: "validation",
    summary: "a template is malformed or its placeholders are not satisfied",
  },
  RollbackUnavailable: {
    code: "OPM9021",
    category: "validation",
    summary: "a release revision cannot be rolled back to",
  },
  FileUnreadable: {
    code: "OPM9022",
    category: "not-found",
    summary: "a file named on the command line (CA, key, CRD, module) cannot be read",
  },

  // OPM97xx the in-cluster controller (controller)
  ValuesRefMissing: {
    code: "OPM9701",
    category: "not-found",
    summary: "a ModuleRelease's valuesFrom names a Secret or key that does not exist",
  },
  DependencyNotReady: {
    code: "OPM9702",
    category: "failure",
    summary: "a ModuleRelease waits for a ModuleRelease in its dependsOn that is missing or not Ready",
  },
  ReleaseSpecInvalid: {
    code: "OPM9703",
    category: "validation",
    summary: "a ModuleRelease's spec does not satisfy its schema",
  },
  HandoffRefused: {
    code: "OPM9704",
    category: "failure",
    summary: "a release cannot be handed between the CLI and the controller as it is",
  },
  HandoffIncomplete: {
    code: "OPM9705",
    category: "failure",
    summary: "the controller did not take over a handed-off release within the timeout",
  },
  KubeConfigRefMissing: {
    code: "OPM9706",
    category: "not-found",
    summary: "a ModuleRelease target's kubeConfig.secretRef names a Secret or key that does not exist",
  },
  KubeConfigInvalid: {
    code: "OPM9707",
    category: "validation",
    summary:
      "a ModuleRelease target's kubeconfig cannot be used: not a kubeconfig, or it names an exec plugin or local files",
  },

  // OPM99xx the test environment behind `opm dev cluster` (testenv)
  TestEnvFailed: {
    code: "OPM9901",
    category: "failure",
    summary: "the local control plane cannot be built, started or stopped",
  },
} as const satisfies Record<string, CodeEntry>;

/**
 * The stable name of an error code (`"InvalidName"`), what code passes to `new OpmError(key, ...)`; the name
 * survives a change of wording, the number never changes.
 */
export type ErrorCodeKey = keyof typeof ErrorCodes;
/** An `OPM####` code as it appears in messages, `-o json` output and docs/errors.md. */
export type ErrorCode = (typeof ErrorCodes)[ErrorCodeKey]["code"];

/** The registry entry of a code (`OPM2001`), or undefined for a code that is not ours. */
export function errorCodeEntry(code: string): (CodeEntry & { readonly key: ErrorCodeKey }) | undefined {
  for (const [key, entry] of Object.entries(ErrorCodes) as [ErrorCodeKey, CodeEntry][]) {
    if (entry.code === code) return { ...entry, key };
  }
  return undefined;
}

/** The render stage an error belongs to (RenderStage), undefined for codes outside rendering. */
export function stageOf(error: { readonly code: string }): RenderStage | undefined {
  return errorCodeEntry(error.code)?.stage;
}
