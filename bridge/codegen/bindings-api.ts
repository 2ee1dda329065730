// The light half of generateBindings: its options and error, which callers need without loading
// the generator. The generator (user-package.ts) builds its files with ts-morph, i.e. the whole
// TypeScript compiler, so `@opm/sdk/bridge` loads it on the first call only (codegen/index.ts).
import { OpmError } from "../../sdk/errors.ts";
import { describeCueIssues } from "../errors.ts";
import type { CueIssue } from "../protocol.ts";

/** What generateBindings reads: one CUE package, loaded as the engine's `load` would. */
export interface BindingsOptions {
  /** The package directory, inside a CUE module (cue.mod/module.cue) that resolves its imports. */
  readonly dir: string;
  /** The package name, when the directory holds several. */
  readonly package?: string;
  /** Files by path (absolute, or relative to dir) that replace or add to what is on disk. */
  readonly overlay?: Readonly<Record<string, string>>;
  /** CUE_REGISTRY for the package's dependencies, e.g. `opmodel.dev=localhost:5000+insecure`. */
  readonly registry?: string;
  /** Formats each generated file. @default none (ts-morph's printing) */
  readonly format?: (source: string, fileName: string) => Promise<string>;
  /** Where the generated code imports the builders from. @default "@opm/sdk/dsl" */
  readonly dslModule?: string;
  /** Where definitions of the OPM catalog (`opmodel.dev/...`) are imported from. @default "@opm/sdk/catalog" */
  readonly catalogModule?: string;
}

/** Why generateBindings failed; stable, for callers to branch on. */
export type BindingsErrorCode =
  /** The package could not be loaded (missing, broken, or an import that does not resolve). */
  | "PackageNotLoaded"
  /** The package has no resource, trait, blueprint or policy rule definitions. */
  | "NoDefinitions"
  /** A definition of a primitive kind does not declare its `#spec`. */
  | "DefinitionWithoutSpec"
  /** appliesTo/composition names a definition that is neither in the package nor in the catalog. */
  | "UnresolvedReference";

/** A failure to generate bindings (OPM510x); `issues` carry the CUE source positions. */
export class BindingsError extends OpmError {
  /** Why it failed, stable for callers to branch on (`code` is the OPM code users see). */
  readonly reason: BindingsErrorCode;
  /** The CUE problems behind the failure, each with its source positions (may be none). */
  readonly issues: readonly CueIssue[];

  constructor(reason: BindingsErrorCode, message: string, issues: readonly CueIssue[] = [], cause?: unknown) {
    super(`Bindings${reason}`, {
      message,
      locations: issues.flatMap((issue) => issue.positions.slice(0, 1)),
      cause,
      details: issues.length === 0 ? undefined : { issues },
    });
    this.name = "BindingsError";
    this.reason = reason;
    this.issues = issues;
  }

  /** Each issue as `file:line:col: path: message`. */
  describeIssues(): string[] {
    return describeCueIssues(this.issues);
  }
}
