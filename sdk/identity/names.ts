// Names, versions, apiVersions and FQNs, after the core CUE types (docs/upstream-compatibility.md).
// Each check returns an OpmError or undefined, so callers can collect every problem at once.
import { OpmError } from "../errors.ts";

/** RFC-1123 DNS label, 1–63 characters. */
export const NAME_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
/** `<path>@v<major>`, e.g. `opmodel.dev/resources/workload@v0`; 1–254 characters. */
export const API_VERSION_PATTERN = /^[a-z0-9.-]+(\/[a-z0-9.-]+)*@v[0-9]+$/;
/** `<path>@v<major>#<PascalName>`. */
export const FQN_PATTERN = /^([a-z0-9.-]+(?:\/[a-z0-9.-]+)*)@v([0-9]+)#([A-Z][a-zA-Z0-9]*)$/;
/** Strict SemVer 2.0 (no leading `v`), the regex published at semver.org. */
export const VERSION_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
/** Lower-case canonical UUID. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const MAX_NAME = 63;
const MAX_API_VERSION = 254;

/** `stateless-workload` → `StatelessWorkload`; `pvc-transformer` → `PvcTransformer`. */
export function kebabToPascal(name: string): string {
  return name
    .split("-")
    .map((part) => (part.length === 0 ? "" : part[0]!.toUpperCase() + part.slice(1)))
    .join("");
}

/** The `#spec` key of a definition: its PascalName with the first letter lower-cased. */
export function specKeyOf(name: string): string {
  const pascal = kebabToPascal(name);
  return pascal.length === 0 ? "" : pascal[0]!.toLowerCase() + pascal.slice(1);
}

/** `<apiVersion>#<KebabToPascal(name)>`. Does not validate; see {@link checkFqn}. */
export function fqnOf(apiVersion: string, name: string): string {
  return `${apiVersion}#${kebabToPascal(name)}`;
}

/** The parts of a definition's FQN (`<path>@v<major>#<PascalName>`), as {@link parseFqn} returns them. */
export interface ParsedFqn {
  /** The module path, e.g. `opmodel.dev/resources/workload`. */
  readonly path: string;
  /** The major version from `@v<major>`. */
  readonly major: number;
  /** `<path>@v<major>`, the definition's apiVersion. */
  readonly apiVersion: string;
  /** The definition name after `#`, e.g. `Container`. */
  readonly pascalName: string;
}

/** Splits an FQN into its parts; `undefined` when it does not match `<path>@v<major>#<PascalName>`. */
export function parseFqn(fqn: string): ParsedFqn | undefined {
  const m = FQN_PATTERN.exec(fqn);
  if (m === null) return undefined;
  return { path: m[1]!, major: Number(m[2]), apiVersion: `${m[1]}@v${m[2]}`, pascalName: m[3]! };
}

/** What the checked string is, for messages ("module name", "component name", ...). */
export type Subject = string;

/**
 * Checks an RFC-1123 DNS label (1-63 lower-case letters, digits and `-`).
 *
 * @returns undefined when valid, else an OpmError OPM1001 (InvalidName) naming `subject`.
 */
export function checkName(name: string, subject: Subject = "name"): OpmError | undefined {
  if (name.length >= 1 && name.length <= MAX_NAME && NAME_PATTERN.test(name)) return undefined;
  return new OpmError("InvalidName", {
    message: `${subject} ${JSON.stringify(name)} is not a valid name`,
    hint: "use 1-63 lower-case letters, digits and '-', starting and ending with a letter or digit",
    details: { name, subject },
  });
}

/**
 * Checks a strict SemVer 2.0 version without a leading `v`.
 *
 * @returns undefined when valid, else an OpmError OPM1002 (InvalidVersion) naming `subject`.
 */
export function checkVersion(version: string, subject: Subject = "version"): OpmError | undefined {
  if (VERSION_PATTERN.test(version)) return undefined;
  return new OpmError("InvalidVersion", {
    message: `${subject} ${JSON.stringify(version)} is not a SemVer 2.0 version`,
    hint: "write MAJOR.MINOR.PATCH without a leading 'v', e.g. 1.2.3 or 1.0.0-rc.1",
    details: { version, subject },
  });
}

/**
 * Checks an apiVersion of the form `<path>@v<major>` (at most 254 characters).
 *
 * @returns undefined when valid, else an OpmError OPM1003 (InvalidApiVersion) naming `subject`.
 */
export function checkApiVersion(apiVersion: string, subject: Subject = "apiVersion"): OpmError | undefined {
  if (apiVersion.length <= MAX_API_VERSION && API_VERSION_PATTERN.test(apiVersion)) return undefined;
  return new OpmError("InvalidApiVersion", {
    message: `${subject} ${JSON.stringify(apiVersion)} is not of the form <path>@v<major>`,
    hint: "e.g. example.com/modules@v0",
    details: { apiVersion, subject },
  });
}

/**
 * Checks a definition FQN of the form `<path>@v<major>#<PascalName>`.
 *
 * @returns undefined when valid, else an OpmError OPM1004 (InvalidFqn) naming `subject`.
 */
export function checkFqn(fqn: string, subject: Subject = "fqn"): OpmError | undefined {
  if (FQN_PATTERN.test(fqn)) return undefined;
  return new OpmError("InvalidFqn", {
    message: `${subject} ${JSON.stringify(fqn)} is not of the form <path>@v<major>#<PascalName>`,
    details: { fqn, subject },
  });
}

// Kubernetes label rules: optional DNS-subdomain prefix + '/' + name of <= 63 characters.
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Checks a label key and value against Kubernetes' rules (values may be empty). */
export function checkLabel(key: string, value: string, subject: Subject = "label"): OpmError | undefined {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const keyOk =
    name.length >= 1 &&
    name.length <= 63 &&
    LABEL_NAME.test(name) &&
    (prefix === undefined || (prefix.length <= 253 && LABEL_PREFIX.test(prefix)));
  const valueOk = value.length <= 63 && LABEL_VALUE.test(value);
  if (keyOk && valueOk) return undefined;
  return new OpmError("InvalidLabel", {
    message: keyOk
      ? `${subject} ${key}: value ${JSON.stringify(value)} is not a valid label value`
      : `${subject} key ${JSON.stringify(key)} is not a valid label key`,
    hint: "label keys are [prefix/]name (name <= 63 chars); values <= 63 chars of [A-Za-z0-9-_.]",
    details: { key, value },
  });
}
