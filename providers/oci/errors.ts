// Errors of the OCI client and of module distribution, range OPM9xxx. Like sdk's OpmError they
// carry a stable code, a category the CLI maps to an exit code, a hint and structured details;
// they live here because sdk's registry names only the ranges (see sdk/errors.ts).

/** What kind of failure a code describes; the same vocabulary as sdk's ErrorCategory. */
export type OciErrorCategory = "validation" | "connectivity" | "permission" | "not-found" | "internal";

interface OciCodeEntry {
  readonly code: `OPM9${number}`;
  readonly category: OciErrorCategory;
  readonly summary: string;
  readonly retired?: true;
}

/** The registry of OPM9xxx codes. Codes are never reused: retire one by marking it `retired`. */
export const OciErrorCodes = {
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
    category: "internal",
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
  InvalidVersion: {
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
} as const satisfies Record<string, OciCodeEntry>;

export type OciErrorKey = keyof typeof OciErrorCodes;

export interface OciErrorInit {
  readonly message: string;
  readonly hint?: string | undefined;
  readonly cause?: unknown;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
  /** A position in a user's file, for errors about files (module.cue, CRDs, templates). */
  readonly location?: { readonly file: string; readonly line?: number; readonly column?: number } | undefined;
}

const BRAND = Symbol.for("opm.OciError");

/** A problem reaching, reading or trusting a registry or an artefact. */
export class OciError extends Error {
  readonly key: OciErrorKey;
  readonly code: string;
  readonly category: OciErrorCategory;
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;
  readonly location: OciErrorInit["location"];

  constructor(key: OciErrorKey, init: OciErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "OciError";
    this.key = key;
    this.code = OciErrorCodes[key].code;
    this.category = OciErrorCodes[key].category;
    this.hint = init.hint;
    this.details = init.details ?? {};
    this.location = init.location;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True for an OciError, also one made by another copy of this package. */
export function isOciError(x: unknown): x is OciError {
  return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[BRAND] === true;
}
