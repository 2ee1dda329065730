import { OpmError } from "../sdk/errors.ts";

/** A failure of the test environment (OPM9001) with one line that says what to install or retry. */
export class TestEnvError extends OpmError {
  readonly logFile: string | undefined;

  constructor(message: string, hint?: string, logFile?: string) {
    super("TestEnvFailed", {
      message,
      hint,
      ...(logFile === undefined ? {} : { location: { file: logFile }, details: { logFile } }),
    });
    this.name = "TestEnvError";
    this.logFile = logFile;
  }

  /** The single line shown to a user, e.g. by `npm run testenv -- up`. */
  oneLine(): string {
    const parts = [`testenv: ${this.message}`];
    if (this.hint) parts.push(this.hint);
    if (this.logFile) parts.push(`(log: ${this.logFile})`);
    return parts.join("; ");
  }
}
