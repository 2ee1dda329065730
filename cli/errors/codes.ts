// Error codes owned by the CLI (range OPM7xxx, see sdk/errors.ts for the ranges) and the exit
// codes every error maps to. Codes are never reused: retire one by marking it `retired`.
// The exit codes are a public contract (architecture section 10): scripts branch on them.

/** Process exit codes of `opm`. `diff` follows kubectl instead (0 same, 1 differs, >1 error). */
export const ExitCode = {
  ok: 0,
  failure: 1,
  validation: 2,
  connectivity: 3,
  permission: 4,
  notFound: 5,
} as const;

export type ExitKind = keyof typeof ExitCode;

interface CliCodeEntry {
  readonly code: `OPM7${number}`;
  readonly exit: ExitKind;
  readonly summary: string;
  readonly retired?: true;
}

export const CliErrorCodes = {
  Usage: {
    code: "OPM7001",
    exit: "failure",
    summary: "the command line is not valid (unknown command, bad flag)",
  },
  ModuleNotFound: { code: "OPM7002", exit: "notFound", summary: "no module at the given path" },
  ModuleAmbiguous: {
    code: "OPM7003",
    exit: "validation",
    summary: "a directory holds several *.opm.ts files and none is module.opm.ts",
  },
  ModuleLoadFailed: {
    code: "OPM7004",
    exit: "validation",
    summary: "a module file cannot be loaded, or does not export a module",
  },
  ModuleLanguageUnsupported: {
    code: "OPM7005",
    exit: "validation",
    summary: "the module's language is not supported by this command yet",
  },
  ValuesFileNotFound: { code: "OPM7006", exit: "notFound", summary: "a -f values file does not exist" },
  ValuesFileUnsupported: {
    code: "OPM7007",
    exit: "validation",
    summary: "a -f values file has an extension opm cannot read",
  },
  UnknownProvider: { code: "OPM7008", exit: "validation", summary: "the provider named is not known" },
  ProviderAmbiguous: {
    code: "OPM7009",
    exit: "validation",
    summary: "several providers are configured and none was chosen",
  },
  RenderFailed: { code: "OPM7010", exit: "validation", summary: "rendering reported errors" },
  DirectoryExists: { code: "OPM7011", exit: "validation", summary: "the target directory already exists" },
  InvalidModuleName: {
    code: "OPM7012",
    exit: "validation",
    summary: "a new module's name is not a DNS label",
  },
  OutputWriteFailed: { code: "OPM7013", exit: "failure", summary: "output files cannot be written" },
  ConfigNotFound: { code: "OPM7014", exit: "notFound", summary: "the configuration file does not exist" },
  ConfigExists: { code: "OPM7015", exit: "failure", summary: "the configuration file already exists" },
  ConfigInvalid: {
    code: "OPM7016",
    exit: "validation",
    summary: "the configuration does not satisfy the config schema",
  },
  CueEvaluation: { code: "OPM7017", exit: "validation", summary: "CUE source does not evaluate" },
  CueEngineUnavailable: {
    code: "OPM7018",
    exit: "failure",
    summary: "the CUE engine cannot be started (run `npm run build:engine`)",
  },
  KubeconfigInvalid: { code: "OPM7019", exit: "validation", summary: "a kubeconfig file cannot be read" },
  InvalidObject: {
    code: "OPM7020",
    exit: "validation",
    summary: "a rendered object lacks apiVersion, kind or a valid name",
  },
  BindingsFailed: {
    code: "OPM7021",
    exit: "validation",
    summary: "TS bindings cannot be generated from a CUE package of definitions",
  },
  Internal: { code: "OPM7999", exit: "failure", summary: "an unexpected error (a bug in opm)" },
} as const satisfies Record<string, CliCodeEntry>;

export type CliErrorKey = keyof typeof CliErrorCodes;
