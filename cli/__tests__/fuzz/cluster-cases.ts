// Invalid input given to `opm mod apply` against the suite's real cluster: bad values files,
// bad --set expressions and bad flags. A rejected apply must write nothing: a new namespace is
// not created (--create-namespace), an existing one gets no object and no inventory.
import { randomBytes } from "node:crypto";
import type { FuzzCase } from "./case.ts";
import { setCase, valuesFileCase } from "./values-cases.ts";
import type { Random } from "./random.ts";

/** The namespace the suite creates once; cases that apply into it must leave it empty. */
export const EXISTING_NAMESPACE = `fuzz-existing-${randomBytes(3).toString("hex")}`;

export function clusterCase(random: Random, kubeconfig: string): FuzzCase {
  // The same invalid values as the build cases, given to apply instead.
  const inner = random.chance(0.6) ? valuesFileCase(random) : setCase(random);
  const at = inner.argv.findIndex((a) => a === "-f" || a === "--set");
  const target = inner.argv[2]!;
  const fresh = random.chance(0.5);
  const namespace = fresh ? `fuzz-${randomBytes(4).toString("hex")}` : EXISTING_NAMESPACE;
  const dryRun = random.pick([[], [], ["--dry-run", "server"], ["--no-wait"]]);
  return {
    family: "cluster-apply",
    name: `apply into ${fresh ? "a new" : "an existing"} namespace: ${inner.name}`,
    argv: [
      "mod",
      "apply",
      target,
      "-n",
      namespace,
      ...(fresh ? ["--create-namespace"] : []),
      ...dryRun,
      "--kubeconfig",
      kubeconfig,
      ...inner.argv.slice(at),
    ],
    ...(inner.files === undefined ? {} : { files: inner.files }),
    exits: inner.exits,
    namespace,
  };
}
