/** A failure of the test environment with one line that says what to install or retry. */
export class TestEnvError extends Error {
  override name = "TestEnvError";
  readonly hint: string | undefined;
  readonly logFile: string | undefined;

  constructor(message: string, hint?: string, logFile?: string) {
    super(message);
    this.hint = hint;
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
