// Invalid values: `-f` files (YAML, JSON, CUE, binary) and `--set` expressions, given to the
// jellyfin example in TypeScript and in CUE (the same #config: a closed schema with ints,
// patterned strings and a record of libraries). Each input breaks exactly one rule.
import { join } from "node:path";
import { repoRoot } from "../run.ts";
import { EXIT, type FuzzCase } from "./case.ts";
import type { Random } from "./random.ts";

export const TARGETS = {
  ts: join(repoRoot, "examples/jellyfin"),
  cue: join(repoRoot, "examples/jellyfin/cue"),
} as const;

/** A valid values document for both targets; every case starts here and breaks one thing. */
function validValues(): Record<string, unknown> {
  return {
    port: 8096,
    timezone: "Europe/Paris",
    image: { repository: "jellyfin/jellyfin", tag: "10.10.3" },
    config: { size: "20Gi", storageClass: "fast-ssd" },
    media: { music: { mountPath: "/media/music", size: "200Gi" } },
  };
}

const STRING_PATHS = ["timezone", "image.repository", "image.tag", "media.music.mountPath"];
const SIZE_PATHS = ["config.size", "media.music.size"];
const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype"];
const KNOWN_ROOT = new Set(["port", "timezone", "image", "config", "media"]);

/** A value of the wrong type (or range) for the field at `path`. */
function wrongValue(random: Random, path: string): unknown {
  if (path === "port")
    return random.pick<unknown>(["http", true, [8096], { n: 1 }, 1.5, 0, -1, 65536, 1e12, null, ""]);
  if (SIZE_PATHS.includes(path)) return random.pick<unknown>(["lots", "20GB", 20, "", "-1Gi", [1], null]);
  return random.pick<unknown>([42, true, [random.word()], { [random.word()]: 1 }, null, 3.25]);
}

function setAt(data: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = data;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1)!] = value;
}

function unknownKey(random: Random): string {
  let key = random.word();
  while (KNOWN_ROOT.has(key)) key = random.word();
  return key;
}

/** One broken values document, as data (serialized by the caller) or as raw text. */
interface Broken {
  readonly what: string;
  readonly data?: Record<string, unknown>;
  readonly text?: string | Uint8Array;
  /** Serialize `data` as JSON even in a YAML file (the prototype keys survive only as JSON text). */
  readonly json?: boolean;
}

function prototypeText(random: Random): Broken {
  const key = random.pick(PROTOTYPE_KEYS);
  const where = random.pick(["", "image", "config", "media", "media.music"]);
  const inner = random.pick(['{"polluted": true}', "1", '"x"', '{"mountPath": "/m", "size": "1Gi"}']);
  const base = validValues();
  const text = JSON.stringify(base).replace(
    where === "" ? /^\{/ : new RegExp(`"${where.split(".").at(-1)}":\\{`),
    (m) => `${m}"${key}":${inner},`,
  );
  return { what: `prototype key ${key} at ${where === "" ? "the root" : where}`, text };
}

function aliasBomb(random: Random): Broken {
  const depth = random.int(6, 12);
  const width = random.int(6, 10);
  const lines = [`l0: &l0 [${Array.from({ length: width }, () => '"lol"').join(", ")}]`];
  for (let i = 1; i <= depth; i++)
    lines.push(`l${i}: &l${i} [${Array.from({ length: width }, () => `*l${i - 1}`).join(", ")}]`);
  lines.push(`timezone: *l${depth}`);
  return { what: `alias bomb ${width}^${depth}`, text: `${lines.join("\n")}\n` };
}

function deep(random: Random): Broken {
  const depth = random.pick([101, 150, 1000, random.int(101, 5000), 20000, 100000]);
  const style = random.pick(["flow-seq", "flow-map", "json", "block"]);
  if (style === "block") {
    const lines = Array.from({ length: Math.min(depth, 3000) }, (_, i) => `${" ".repeat(i)}k${i}:`);
    return {
      what: `block map nested ${lines.length} deep`,
      text: `media:\n${lines.map((l) => ` ${l}`).join("\n")} 1\n`,
    };
  }
  const [open, close] =
    style === "flow-seq" ? ["[", "]"] : style === "flow-map" ? ["{a: ", "}"] : ['{"a":', "}"];
  const body = `${open.repeat(depth)}1${close.repeat(depth)}`;
  return {
    what: `${style} nested ${depth} deep`,
    text: style === "json" ? `{"media": ${body}}` : `media: ${body}\n`,
  };
}

function huge(random: Random): Broken {
  const count = random.int(200_001, 1_100_000);
  switch (random.int(0, 3)) {
    case 0:
      return { what: `a flow list of ${count} numbers`, text: `{"port": [${"0,".repeat(count - 1)}0]}` };
    case 1:
      return { what: `a block list of ${count} numbers`, text: `port:\n${"- 0\n".repeat(count)}` };
    case 2: {
      // Keys all different: the YAML library's duplicate check was quadratic in them.
      const keys = Array.from({ length: random.int(5_000, 12_000) }, (_, i) => `"k${i}": 0`);
      return { what: `a flow map of ${keys.length} unknown keys`, text: `{${keys.join(",")}}` };
    }
    default:
      return { what: "a 9 MiB string", text: `{"timezone": "${"x".repeat(9 << 20)}", "port": "http"}` };
  }
}

function binary(random: Random): Broken {
  const bytes = random.bytes(random.int(1, 4096));
  // At least one NUL and one invalid UTF-8 sequence, so no run of bytes is accidentally a map.
  bytes[random.int(0, bytes.length - 1)] = 0;
  return { what: `${bytes.length} random bytes`, text: Uint8Array.from([0xff, 0xfe, ...bytes]) };
}

const SYNTAX_ERRORS = [
  ["an unclosed flow list", "port: [1, 2\ntimezone: UTC\n"],
  ["an unclosed flow map", "image: {repository: x, tag: y\n"],
  ["an unterminated quoted string", 'timezone: "Europe/Paris\n'],
  ["tab indentation", "image:\n\trepository: x\n"],
  ["a bad indentation", "image:\n  repository: x\n tag: y\n"],
  ["two documents", "port: 8096\n---\nport: 8097\n"],
  ["a duplicate key", "port: 8096\nport: 8097\n"],
  ["a list as the document", "- port\n- 8096\n"],
  ["a scalar as the document", "8096\n"],
  ["a string as the document", "just some words\n"],
  ["an unknown tag", "timezone: !secret UTC\n"],
  ["a YAML 1.1 binary tag", "timezone: !!binary aGVsbG8=\n"],
  ["a YAML 1.1 set", "media: !!set {a, b}\n"],
  ["a YAML 1.1 timestamp", "timezone: !!timestamp 2001-12-14\n"],
  ["a local tag URI", "port: !<tag:example.com,2000:port> 8096\n"],
  ["a complex key", "? [a, b]\n: 1\n"],
  ["an anchor on nothing", "port: &\n"],
  ["an undefined alias", "port: *nope\n"],
  ["a JSON value missing", '{"port": }'],
  ["a JSON key without quotes or value", '{"port": 8096, "image"}'],
] as const;

function brokenDocument(random: Random): Broken {
  const kind = random.pick([
    "wrong-type",
    "wrong-type",
    "wrong-type",
    "unknown-key",
    "unknown-key",
    "prototype",
    "prototype",
    "syntax",
    "syntax",
    "syntax",
    "alias",
    "deep",
    "binary",
    "bad-library",
  ]);
  const data = validValues();
  switch (kind) {
    case "wrong-type": {
      const path = random.pick(["port", "port", ...STRING_PATHS, ...SIZE_PATHS]);
      const value = wrongValue(random, path);
      setAt(data, path, value);
      return { what: `${path} = ${JSON.stringify(value)}`, data };
    }
    case "unknown-key": {
      const where = random.pick(["", "image", "config", "media.music"]);
      const key = unknownKey(random);
      if (where === "") data[key] = random.pick<unknown>([1, "x", { a: 1 }]);
      else setAt(data, `${where}.${key}`, 1);
      return { what: `unknown key ${key} at ${where === "" ? "the root" : where}`, data };
    }
    case "bad-library": {
      const name = random.pick(["Music", "my_music", "-music", "music-", "mü", ""]);
      setAt(data, "media", { [name]: { mountPath: "/m", size: "1Gi" } });
      return { what: `library name ${JSON.stringify(name)}`, data };
    }
    case "prototype":
      return prototypeText(random);
    case "alias":
      return aliasBomb(random);
    case "deep":
      return deep(random);
    case "binary":
      return binary(random);
    default: {
      const [what, text] = random.pick(SYNTAX_ERRORS);
      return { what, text };
    }
  }
}

function serialize(broken: Broken, random: Random): { file: string; text: string | Uint8Array } {
  if (broken.text !== undefined)
    return { file: random.pick(["values.yaml", "values.json", "values.yml"]), text: broken.text };
  if (random.chance(0.5)) return { file: "values.json", text: JSON.stringify(broken.data, null, 2) };
  // YAML written by hand from JSON: JSON is YAML, and a flow style keeps the generator small.
  return { file: "values.yaml", text: `${JSON.stringify(broken.data)}\n` };
}

/** A command that reads values: build (sometimes into --split files), vet, or eval. */
function valuesCommand(random: Random): { argv: string[]; target: string } {
  const target = random.pick([TARGETS.ts, TARGETS.cue]);
  const command = random.pick(["build", "build", "build-split", "vet", "eval"]);
  if (command === "build-split")
    return { argv: ["mod", "build", target, "--split", "--out-dir", "<dir>/out"], target };
  return { argv: ["mod", command, target], target };
}

export function valuesFileCase(random: Random): FuzzCase {
  const broken = brokenDocument(random);
  const { file, text } = serialize(broken, random);
  const { argv, target } = valuesCommand(random);
  return {
    family: "values-file",
    name: `${file}: ${broken.what} (${target === TARGETS.ts ? "TS" : "CUE"} module)`,
    argv: [...argv, "-f", `<dir>/${file}`],
    files: { [file]: text },
    exits: [EXIT.validation],
  };
}

/** The largest values documents (rare: each takes a second or more to write and refuse). */
export function hugeValuesCase(random: Random): FuzzCase {
  const broken = huge(random);
  return {
    family: "values-huge",
    name: `values file: ${broken.what}`,
    argv: ["mod", "build", TARGETS.ts, "-f", "<dir>/values.json"],
    files: { "values.json": broken.text as string },
    exits: [EXIT.validation],
  };
}

const CUE_VALUES_ERRORS: readonly (readonly [string, string])[] = [
  ["a syntax error", "values: {\n\tport: 8096\n"],
  ["a stray brace", "values: port: 8096\n}\n"],
  ["a wrong type", 'values: port: "http"\n'],
  ["an unknown field", "values: nosuchfield: 1\n"],
  ["a reference cycle", "values: {\n\tport: timezone2 + 1\n\ttimezone2: port - 1\n}\n"],
  ["a self-reference", 'values: timezone: "\\(values.timezone)x"\n'],
  ["a missing import", 'import "example.com/nope@v0"\n\nvalues: port: nope.port\n'],
  ["a conflict", "values: port: 8096\nvalues: port: 8097\n"],
  ["an open value", "values: port: int\n"],
  ["a bottom value", "values: port: _|_\n"],
  ["an unresolved disjunction", "values: port: 1 | 2\n"],
  ["not a struct", "values: 42\n"],
  ["a prototype key", 'values: "__proto__": polluted: true\n'],
  ["a constructor key", 'values: media: constructor: {mountPath: "/m", size: "1Gi"}\n'],
];

export function cueValuesCase(random: Random): FuzzCase {
  const [what, text] = random.pick(CUE_VALUES_ERRORS);
  const { argv, target } = valuesCommand(random);
  return {
    family: "values-cue",
    name: `values.cue: ${what} (${target === TARGETS.ts ? "TS" : "CUE"} module)`,
    argv: [...argv, "-f", "<dir>/values.cue"],
    files: { "values.cue": text },
    exits: [EXIT.validation],
  };
}

function badSetExpression(random: Random): string {
  const word = random.word();
  return random.pick([
    () => `${word}[${random.int(65_536, 2 ** 40)}]=1`,
    () => `x[999999999]=1`,
    () => `${word}[-${random.int(1, 9)}]=1`,
    () => `${word}[1.5]=1`,
    () => `${word}[x]=1`,
    () => `${word}[=1`,
    () => `${word}]=1`,
    () => `[0]=1`,
    () => `=1`,
    () => `.${word}=1`,
    () => `${word}.=1`,
    () => `${word}..${word}=1`,
    () => word,
    () => `${random.pick(PROTOTYPE_KEYS)}=1`,
    () => `${word}.${random.pick(PROTOTYPE_KEYS)}.x=1`,
    () => `media.${random.pick(PROTOTYPE_KEYS)}.size=1Gi`,
    () => `constructor.prototype.polluted=1`,
    () => `port=${random.pick(["http", "true", "[1]", "{}", "1.5", "-1", "70000", "null"])}`,
    () => `image=${word}`,
    () => `config.size=${random.pick(["lots", "20GB", "1"])}`,
    () => `${unknownKey(random)}=1`,
    () => `media.${random.pick(["Music", "my_music", "-x"])}.size=1Gi`,
  ])();
}

export function setCase(random: Random): FuzzCase {
  const { argv, target } = valuesCommand(random);
  const count = random.int(1, 3);
  const sets = Array.from({ length: count }, () => badSetExpression(random));
  return {
    family: "set",
    name: `--set ${sets.join(" --set ")} (${target === TARGETS.ts ? "TS" : "CUE"} module)`,
    argv: [...argv, ...sets.flatMap((s) => ["--set", s])],
    exits: [EXIT.validation],
  };
}
