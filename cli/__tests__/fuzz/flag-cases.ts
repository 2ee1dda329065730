// Broken command lines (missing arguments, bad enums and durations, invalid names, unknown
// flags and commands, missing or broken files) and broken kubeconfigs (missing, empty, binary,
// without contexts, unreachable servers, exec plugins that fail, print junk or are absent).
import { EXIT, type FuzzCase } from "./case.ts";
import type { Random } from "./random.ts";
import { TARGETS } from "./values-cases.ts";

const BUILD_LIKE = ["build", "vet", "eval"];
const CLUSTER = ["apply", "diff", "status", "delete", "tree", "events"];
const VALUED_FLAGS = [
  "-f",
  "--values",
  "--set",
  "-n",
  "--namespace",
  "-o",
  "--output",
  "--release-name",
  "--provider",
  "--module-timeout",
  "--config",
  "--kubeconfig",
  "--context",
  "--registry",
  "--ca-file",
];
const INVALID_LABELS = [
  "Bad_NS",
  "UPPER",
  "a.b",
  "x".repeat(64),
  "ends-",
  "spa ce",
  "ü",
  "9" + "a".repeat(63),
];

const FLAG_CASES: readonly (readonly [string, number[], (random: Random) => string[]])[] = [
  [
    "a valued flag without its value",
    [EXIT.failure],
    (r) => ["mod", r.pick(BUILD_LIKE), TARGETS.ts, r.pick(VALUED_FLAGS)],
  ],
  [
    "a valued flag before the path",
    [EXIT.failure, EXIT.notFound],
    (r) => ["mod", "build", r.pick(["-f", "-n", "-o"]), TARGETS.ts],
  ],
  [
    "a bad output format",
    [EXIT.failure],
    (r) => ["mod", r.pick(["build", "eval"]), TARGETS.ts, "-o", `x${r.word()}`],
  ],
  ["an empty output format", [EXIT.failure], () => ["mod", "build", TARGETS.ts, "-o", ""]],
  [
    "a bad --dry-run",
    [EXIT.failure],
    (r) => ["mod", "apply", TARGETS.ts, "--dry-run", r.pick(["yes", "true", "serverside", ""])],
  ],
  [
    "a bad duration",
    [EXIT.failure],
    (r) => [
      "mod",
      "build",
      TARGETS.ts,
      "--module-timeout",
      r.pick(["abc", "-1s", "1x", "", "1.5.2s", "99999999999999999999h", "NaN", "Infinity"]),
    ],
  ],
  [
    "a bad --request-timeout",
    [EXIT.failure],
    (r) => ["mod", r.pick(CLUSTER), TARGETS.ts, "--request-timeout", r.pick(["0s", "abc", "-5s", ""])],
  ],
  [
    "a bad --max-history",
    [EXIT.failure],
    (r) => ["mod", "apply", TARGETS.ts, "--max-history", r.pick(["-1", "abc", "1.5", ""])],
  ],
  [
    "an invalid namespace",
    [EXIT.validation, EXIT.failure],
    (r) => ["mod", r.pick([...BUILD_LIKE, "status"]), TARGETS.ts, "-n", r.pick(INVALID_LABELS)],
  ],
  [
    "an invalid release name",
    [EXIT.validation, EXIT.failure],
    (r) => [
      "mod",
      r.pick(["build", "apply", "status"]),
      TARGETS.ts,
      "--release-name",
      r.pick(INVALID_LABELS),
    ],
  ],
  [
    "an unknown provider",
    [EXIT.notFound, EXIT.failure, EXIT.validation],
    (r) => ["mod", "build", TARGETS.ts, "--provider", r.word()],
  ],
  ["an unknown flag", [EXIT.failure], (r) => ["mod", r.pick(BUILD_LIKE), TARGETS.ts, `--${r.word()}`]],
  [
    "an unknown short flag",
    [EXIT.failure],
    (r) => ["mod", "build", TARGETS.ts, `-${r.pick(["x", "q", "Z", "j"])}`],
  ],
  ["an unknown command", [EXIT.failure], (r) => ["mod", r.word()]],
  ["an unknown top-level command", [EXIT.failure], (r) => [r.word(), r.word()]],
  ["too many arguments", [EXIT.failure], (r) => ["mod", r.pick(BUILD_LIKE), TARGETS.ts, r.word()]],
  [
    "a module path that does not exist",
    [EXIT.notFound],
    (r) => ["mod", r.pick([...BUILD_LIKE, "apply", "diff"]), `<dir>/${r.word()}`],
  ],
  [
    "a values file that does not exist",
    [EXIT.notFound],
    (r) => ["mod", r.pick(BUILD_LIKE), TARGETS.ts, "-f", `<dir>/${r.word()}.yaml`],
  ],
  [
    "a values file that is a directory",
    [EXIT.notFound, EXIT.failure, EXIT.validation],
    (r) => ["mod", r.pick(BUILD_LIKE), TARGETS.ts, "-f", "<dir>"],
  ],
  [
    "a values file of an unknown kind",
    [EXIT.validation, EXIT.failure],
    () => ["mod", "build", TARGETS.ts, "-f", "<dir>/values.toml"],
  ],
  [
    "a --config file that does not exist",
    [EXIT.notFound],
    (r) => ["mod", r.pick([...BUILD_LIKE, "status"]), TARGETS.ts, "--config", `<dir>/${r.word()}.cue`],
  ],
  [
    "a --config file with broken CUE",
    [EXIT.validation],
    (r) => ["mod", r.pick(BUILD_LIKE), TARGETS.ts, "--config", "<dir>/config.cue"],
  ],
  ["an OPM_CONFIG file that does not exist", [EXIT.notFound], (r) => ["mod", r.pick(BUILD_LIKE), TARGETS.ts]],
  [
    "a --ca-file that does not exist",
    [EXIT.notFound, EXIT.failure],
    () => ["mod", "build", TARGETS.cue, "--ca-file", "<dir>/nope.pem"],
  ],
  [
    "an --out-dir that is a file",
    [EXIT.failure, EXIT.notFound],
    () => ["mod", "build", TARGETS.ts, "--split", "--out-dir", "<dir>/config.cue"],
  ],
  [
    "mod init with an invalid name",
    [EXIT.validation, EXIT.failure],
    (r) => ["mod", "init", `<dir>/${r.pick(["Bad_Name", "UPPER", "-x"])}`, "--yes"],
  ],
  [
    "mod init with an unknown template",
    [EXIT.failure, EXIT.notFound, EXIT.validation],
    (r) => ["mod", "init", `<dir>/app`, "--template", r.word()],
  ],
  [
    "mod init with an unknown language",
    [EXIT.failure],
    (r) => ["mod", "init", `<dir>/app`, "--lang", r.word()],
  ],
  ["config vet of a broken file", [EXIT.validation], () => ["config", "vet", "--config", "<dir>/config.cue"]],
  ["completion for an unknown shell", [EXIT.failure], (r) => ["completion", r.word()]],
];

const BROKEN_CONFIGS = [
  "config: {",
  "config: kubernetes: namespace: 42\n",
  "{{{",
  "config: nosuchkey: 1\n",
  "\u0000\u00ff",
];

export function flagCase(random: Random): FuzzCase {
  const [what, exits, argv] = random.pick(FLAG_CASES);
  const env = what.startsWith("an OPM_CONFIG") ? { OPM_CONFIG: `<dir>/${random.word()}.cue` } : undefined;
  return {
    family: "flags",
    name: what,
    argv: argv(random),
    files: { "config.cue": random.pick(BROKEN_CONFIGS), "values.toml": "port = 1\n" },
    ...(env === undefined ? {} : { env }),
    exits,
  };
}

/** A kubeconfig whose one cluster is at `server` and whose user is `user` (YAML). */
function kubeconfig(server: string, user: string): string {
  return `apiVersion: v1
kind: Config
current-context: fuzz
clusters:
- name: fuzz
  cluster:
    server: ${server}
contexts:
- name: fuzz
  context: {cluster: fuzz, user: fuzz}
users:
- name: fuzz
  user: ${user}
`;
}

/** An exec credential plugin: a shell script in the case's directory. */
function execUser(command: string): string {
  return `{exec: {apiVersion: client.authentication.k8s.io/v1, command: ${command}, interactiveMode: Never}}`;
}

const REFUSED = "https://127.0.0.1:1";
const KUBECONFIGS: readonly (readonly [
  string,
  number[],
  (random: Random) => Record<string, string | Uint8Array>,
])[] = [
  ["a kubeconfig that does not exist", [EXIT.connectivity, EXIT.notFound], () => ({})],
  ["an empty kubeconfig", [EXIT.connectivity, EXIT.validation, EXIT.notFound], () => ({ kubeconfig: "" })],
  [
    "a binary kubeconfig",
    [EXIT.connectivity, EXIT.validation],
    (r) => ({ kubeconfig: Uint8Array.from([0, 0xff, ...r.bytes(200)]) }),
  ],
  ["a kubeconfig that is a list", [EXIT.connectivity, EXIT.validation], () => ({ kubeconfig: "- a\n- b\n" })],
  [
    "a kubeconfig with a YAML syntax error",
    [EXIT.connectivity, EXIT.validation],
    () => ({ kubeconfig: "clusters: [\n" }),
  ],
  [
    "a kubeconfig without contexts",
    [EXIT.connectivity, EXIT.validation, EXIT.notFound],
    () => ({ kubeconfig: "apiVersion: v1\nkind: Config\n" }),
  ],
  [
    "a kubeconfig whose current context does not exist",
    [EXIT.connectivity, EXIT.validation, EXIT.notFound],
    () => ({
      kubeconfig: kubeconfig(REFUSED, "{}").replace("current-context: fuzz", "current-context: ghost"),
    }),
  ],
  [
    "a kubeconfig whose server is not a URL",
    [EXIT.connectivity, EXIT.validation],
    (r) => ({
      kubeconfig: kubeconfig(r.pick(['"::::"', '"http//x"', '""', "42", '"ftp://127.0.0.1:1"']), "{}"),
    }),
  ],
  [
    "a server that refuses connections",
    [EXIT.connectivity],
    () => ({ kubeconfig: kubeconfig(REFUSED, "{}") }),
  ],
  [
    "a server name that does not resolve",
    [EXIT.connectivity],
    () => ({ kubeconfig: kubeconfig("https://no-such-host.invalid:6443", "{}") }),
  ],
  [
    "bad certificate data",
    [EXIT.connectivity, EXIT.validation],
    () => ({
      kubeconfig: kubeconfig(
        REFUSED,
        "{client-certificate-data: bm90IGEgY2VydA==, client-key-data: bm90IGEga2V5}",
      ),
    }),
  ],
  [
    "a client certificate file that does not exist",
    [EXIT.connectivity, EXIT.validation, EXIT.notFound],
    () => ({
      kubeconfig: kubeconfig(
        REFUSED,
        "{client-certificate: /nonexistent/c.pem, client-key: /nonexistent/k.pem}",
      ),
    }),
  ],
  [
    "an exec plugin that does not exist",
    [EXIT.connectivity, EXIT.permission],
    () => ({ kubeconfig: kubeconfig(REFUSED, execUser("/nonexistent/opm-fuzz-plugin")) }),
  ],
  [
    "an exec plugin that fails",
    [EXIT.connectivity, EXIT.permission],
    () => ({
      kubeconfig: kubeconfig(REFUSED, execUser("<dir>/plugin.sh")),
      "plugin.sh": "#!/bin/sh\necho 'no credentials' >&2\nexit 1\n",
    }),
  ],
  [
    "an exec plugin that prints junk",
    [EXIT.connectivity, EXIT.permission],
    (r) => ({
      kubeconfig: kubeconfig(REFUSED, execUser("<dir>/plugin.sh")),
      "plugin.sh": `#!/bin/sh\necho '${r.pick(["not json", "{}", "[]", '{"kind":"ExecCredential"}', '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}'])}'\n`,
    }),
  ],
  [
    "an exec plugin that is not executable",
    [EXIT.connectivity, EXIT.permission],
    () => ({ kubeconfig: kubeconfig(REFUSED, execUser("<dir>/kubeconfig")) }),
  ],
];

export function kubeconfigCase(random: Random): FuzzCase {
  const [what, exits, files] = random.pick(KUBECONFIGS);
  const command = random.pick([...CLUSTER, "list"]);
  const argv = command === "list" ? ["mod", "list"] : ["mod", command, TARGETS.ts, "-n", "fuzz"];
  return {
    family: "kubeconfig",
    name: `${what} (mod ${command})`,
    argv: [...argv, "--kubeconfig", "<dir>/kubeconfig", "--request-timeout", "5s"],
    files: files(random),
    exits,
  };
}
