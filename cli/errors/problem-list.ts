// Several problems reported together (render errors, config issues, missing files). The
// presenter prints each and exits with the most severe exit code among them.
export class ProblemList extends Error {
  readonly problems: readonly unknown[];
  constructor(problems: readonly unknown[], summary: string) {
    super(summary);
    this.name = "ProblemList";
    this.problems = problems;
  }
}
