import type { BaseContext } from "clipanion";

/** What every command receives: the streams it may write to and the environment it may read. */
export interface OpmContext extends BaseContext {
  env: Record<string, string | undefined>;
  /** Where relative paths start; the process's working directory unless a test injects one. */
  cwd: string;
}

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  cwd?: string;
}
