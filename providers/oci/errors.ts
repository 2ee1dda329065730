// Errors of the OCI client and of module distribution: OpmErrors with the OPM90xx codes of the
// one registry (sdk/error-codes.ts). OciError narrows the constructor to those codes, so this
// layer cannot throw another layer's code by mistake; the shape is OpmError's.
import type { ErrorCodes, ErrorCodeKey } from "../../sdk/error-codes.ts";
import { isOpmError, OpmError, type OpmErrorInit } from "../../sdk/errors.ts";

/** The registry keys of the distribution range (OPM90xx). */
export type OciErrorKey = {
  [K in ErrorCodeKey]: (typeof ErrorCodes)[K]["code"] extends `OPM90${string}` ? K : never;
}[ErrorCodeKey];

/** A problem reaching, reading or trusting a registry or an artefact. */
export class OciError extends OpmError {
  /** The registry key of the code; always one of the OPM90xx range. */
  declare readonly key: OciErrorKey;

  constructor(key: OciErrorKey, init: OpmErrorInit) {
    super(key, init);
    this.name = "OciError";
  }
}

/** True for an error of the distribution range, also one made by another copy of this package. */
export function isOciError(x: unknown): x is OciError {
  return isOpmError(x) && x.code.startsWith("OPM90");
}
