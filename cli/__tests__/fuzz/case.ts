// What one fuzz input is: the files it writes, the command it runs, and how that command must
// refuse it. Every case is invalid on purpose, so "accepted" is always a defect.
import type { Random } from "./random.ts";

export interface FuzzCase {
  /** The kind of input, for the per-family counts (e.g. "values-file"). */
  readonly family: string;
  /** What is wrong with it, printed when it fails (e.g. "prototype key __proto__ at media"). */
  readonly name: string;
  /** The command; "<dir>" in an argument stands for the case's own (empty, temporary) directory. */
  readonly argv: readonly string[];
  /** Files to write into the case's directory first, by relative path. */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
  readonly env?: Readonly<Record<string, string>>;
  /** Exit codes that refuse the input the right way (2 validation, 1 usage or failure, ...). */
  readonly exits: readonly number[];
  /** A namespace of the suite's cluster that the command must not create (nothing written there). */
  readonly namespace?: string;
}

/** Builds one case from a random source; `dir` is where its files will be. */
export type CaseGenerator = (random: Random) => FuzzCase;

export const EXIT = { failure: 1, validation: 2, connectivity: 3, permission: 4, notFound: 5 } as const;
