// CUE value paths as the engine reports them (`#config.web."x-y"[0]`) turned into the
// segment lists sdk uses for values, and source positions filtered to the author's files.
import type { CueIssue, CuePosition } from "../protocol.ts";

export type Segments = (string | number)[];

/** Splits a CUE path into field names and list indices; quoted labels are unquoted. */
export function parseCuePath(path: string): Segments {
  const out: Segments = [];
  let i = 0;
  while (i < path.length) {
    const ch = path[i]!;
    if (ch === ".") {
      i++;
    } else if (ch === "[") {
      const end = path.indexOf("]", i);
      out.push(Number(path.slice(i + 1, end)));
      i = end + 1;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < path.length && path[j] !== '"') j += path[j] === "\\" ? 2 : 1;
      out.push(JSON.parse(path.slice(i, j + 1)) as string);
      i = j + 1;
    } else {
      let j = i;
      while (j < path.length && path[j] !== "." && path[j] !== "[") j++;
      out.push(path.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** The path below `root` (e.g. `#config`), or undefined when the issue lies elsewhere. */
export function pathBelow(path: string, root: string): Segments | undefined {
  const segments = parseCuePath(path);
  const rootSegments = parseCuePath(root);
  if (rootSegments.some((s, i) => segments[i] !== s)) return undefined;
  return segments.slice(rootSegments.length);
}

/** True for positions in files of the module itself, not in fills, overlays or dependencies. */
export type AuthorFileTest = (file: string) => boolean;

export function authorPositions(issue: CueIssue, isAuthorFile: AuthorFileTest): CuePosition[] {
  return issue.positions.filter((p) => isAuthorFile(p.file));
}

export function formatPosition(p: CuePosition): string {
  return `${p.file}:${p.line}:${p.column}`;
}

const DISJUNCTION_HEADER = /^\d+ errors in empty disjunction:?$/;
/** What a disjunct excluded by a catalog schema (`field?: _|_`) says when it is ruled out. */
const EXCLUDED_DISJUNCT = /^explicit error \(_\|_ literal\) in source$/;

/**
 * The issues as a module's author needs them: a disjunction's "N errors in empty disjunction"
 * header, and the "explicit error" of each catalog alternative ruled out (the env sources are
 * alternatives that exclude each other that way), are dropped where a specific error is listed
 * anyway; an issue's positions inside the catalog or the module cache are dropped when it also
 * has one in the module.
 */
export function forAuthor(issues: readonly CueIssue[], isAuthorFile: AuthorFileTest): CueIssue[] {
  const noise = (issue: CueIssue) =>
    DISJUNCTION_HEADER.test(issue.message) || EXCLUDED_DISJUNCT.test(issue.message);
  const specific = issues.some((issue) => !noise(issue));
  return issues
    .filter((issue) => {
      if (!noise(issue)) return true;
      if (specific) return false;
      // Only noise: keep the ruled-out alternatives, and a header whose path has no other issue.
      return (
        !DISJUNCTION_HEADER.test(issue.message) ||
        !issues.some((other) => other !== issue && other.path === issue.path)
      );
    })
    .map((issue) => {
      const own = authorPositions(issue, isAuthorFile);
      return own.length === 0 || own.length === issue.positions.length ? issue : { ...issue, positions: own };
    });
}
