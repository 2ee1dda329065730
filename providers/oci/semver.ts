// Strict SemVer 2.0 with CUE's leading `v` (v1.2.3, v1.2.3-rc.1, v1.2.3+build): what module
// versions must be. No `latest`, no shorthand like v1 or v1.2.
import { OciError } from "./errors.ts";

/** A parsed module version (`v1.2.3-rc.1+build`). */
export interface SemVer {
  /** The major version; a CUE module path ends in it (`@v1`). */
  readonly major: number;
  /** The minor version. */
  readonly minor: number;
  /** The patch version. */
  readonly patch: number;
  /** The dot-separated prerelease identifiers (`["rc", "1"]`); empty for a release. */
  readonly prerelease: readonly string[];
  /** The build metadata after `+`, "" when none; it takes no part in precedence. */
  readonly build: string;
  /** The version as written. */
  readonly text: string;
}

const PATTERN =
  /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Parses a version with CUE's leading `v`; undefined when it is not strict SemVer 2.0. */
export function tryParseSemVer(text: string): SemVer | undefined {
  const m = PATTERN.exec(text);
  if (m === null) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    prerelease: m[4] === undefined ? [] : m[4].split("."),
    build: m[5] ?? "",
    text,
  };
}

/**
 * Parses a version with CUE's leading `v`.
 *
 * @throws OciError OPM9011 when it is not strict SemVer 2.0 (`latest`, `v1`, `1.2.3` are refused).
 */
export function parseSemVer(text: string): SemVer {
  const parsed = tryParseSemVer(text);
  if (parsed === undefined) {
    throw new OciError("InvalidModuleVersion", {
      message: `"${text}" is not a strict SemVer version`,
      hint: "write versions as vMAJOR.MINOR.PATCH, e.g. v1.2.0 or v1.2.0-rc.1 (no `latest`)",
    });
  }
  return parsed;
}

/** True for a strict SemVer 2.0 version with a leading `v`. */
export function isSemVer(text: string): boolean {
  return PATTERN.test(text);
}

/** SemVer precedence (build metadata ignored); negative, zero or positive. */
export function compareSemVer(a: string, b: string): number {
  const x = parseSemVer(a);
  const y = parseSemVer(b);
  for (const key of ["major", "minor", "patch"] as const) if (x[key] !== y[key]) return x[key] - y[key];
  if (x.prerelease.length === 0 || y.prerelease.length === 0)
    return y.prerelease.length - x.prerelease.length;
  for (let i = 0; i < Math.max(x.prerelease.length, y.prerelease.length); i++) {
    const p = x.prerelease[i];
    const q = y.prerelease[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

/** `v1` of `v1.2.3`: the major version a CUE module path ends in. */
export function majorOf(version: string): string {
  return `v${parseSemVer(version).major}`;
}

/** The highest of the versions (semver precedence); prereleases only when `prerelease` is set. */
export function latestOf(
  versions: readonly string[],
  options: { readonly prerelease?: boolean } = {},
): string | undefined {
  const candidates = versions.filter(
    (v) => isSemVer(v) && (options.prerelease === true || parseSemVer(v).prerelease.length === 0),
  );
  return candidates.sort(compareSemVer).at(-1);
}
