// The conformance table: CUE sources and what exporting them must give, on every engine build.
// An expected error names the issue's path, a fragment of its message and its first position.
import type { JsonValue } from "../protocol.ts";

export interface ExpectedIssue {
  readonly path: string;
  readonly message: string | RegExp;
  /** `file:line:column` of the issue's first position. */
  readonly at: string;
}

export interface ExportCase {
  readonly name: string;
  readonly source: string;
  /** Export just this path. */
  readonly path?: string;
  readonly value?: JsonValue;
  readonly error?: ExpectedIssue;
}

const F = "case.cue";
const lines = (...l: string[]) => l.join("\n") + "\n";

export const exportCases: readonly ExportCase[] = [
  {
    name: "required field present",
    source: lines("#App: {name!: string, port: int}", 'app: #App & {name: "web", port: 80}'),
    path: "app",
    value: { name: "web", port: 80 },
  },
  {
    name: "required field missing",
    source: lines("#App: {", "\tname!: string", "}", "app: #App & {}"),
    error: { path: "app.name", message: "field is required but not present", at: `${F}:2:2` },
  },
  {
    name: "optional field absent is left out",
    source: lines("#App: {name: string, image?: string}", 'app: #App & {name: "web"}'),
    path: "app",
    value: { name: "web" },
  },
  {
    name: "optional field given",
    source: lines("#App: {image?: string}", 'app: #App & {image: "nginx"}'),
    path: "app",
    value: { image: "nginx" },
  },
  {
    name: "default value",
    source: lines("replicas: int | *1"),
    value: { replicas: 1 },
  },
  {
    name: "default overridden by unification",
    source: lines("#S: {replicas: int | *1}", "s: #S & {replicas: 3}"),
    path: "s",
    value: { replicas: 3 },
  },
  {
    name: "disjunction default among strings",
    source: lines('mode: *"rolling" | "recreate"'),
    value: { mode: "rolling" },
  },
  {
    name: "disjunction narrowed to a non-default",
    source: lines('mode: *"rolling" | "recreate"', 'mode: "recreate"'),
    value: { mode: "recreate" },
  },
  {
    name: "disjunction without default is not concrete",
    source: lines("a: 1", 'mode: "rolling" | "recreate"'),
    error: { path: "mode", message: 'incomplete value "rolling" | "recreate"', at: `${F}:2:1` },
  },
  {
    name: "closed definition rejects an unknown field",
    source: lines("#D: {a: int}", "v: #D & {", "\ta: 1", "\tb: 2", "}"),
    error: { path: "v.b", message: "field not allowed", at: `${F}:4:2` },
  },
  {
    name: "close() rejects an unknown field",
    source: lines("c: close({a: 1})", "c: {b: 2}"),
    error: { path: "c.b", message: "field not allowed", at: `${F}:2:5` },
  },
  {
    name: "open definition with ... accepts extra fields",
    source: lines("#D: {a: int, ...}", "v: #D & {a: 1, b: 2}"),
    path: "v",
    value: { a: 1, b: 2 },
  },
  {
    name: "pattern constraint applies to every field",
    source: lines("labels: [string]: string", 'labels: {app: "web", tier: "front"}'),
    value: { labels: { app: "web", tier: "front" } },
  },
  {
    name: "pattern constraint violation",
    source: lines("ports: [string]: int", "ports: {", '\thttp: "eighty"', "}"),
    error: { path: "ports.http", message: /conflicting values "eighty" and int/, at: `${F}:1:18` },
  },
  {
    name: "struct comprehension",
    source: lines('names: ["a", "b"]', "out: {for i, n in names {(n): i}}"),
    path: "out",
    value: { a: 0, b: 1 },
  },
  {
    name: "list comprehension with a guard",
    source: lines("xs: [1, 2, 3, 4]", "evens: [for x in xs if mod(x, 2) == 0 {x * 10}]"),
    path: "evens",
    value: [20, 40],
  },
  {
    name: "conditional field",
    source: lines("debug: true", 'if debug {level: "trace"}', 'if !debug {level: "info"}'),
    value: { debug: true, level: "trace" },
  },
  {
    name: "let binding and interpolation",
    source: lines('let base = "web"', 'name: "\\(base)-svc"', "n: len(name)"),
    value: { name: "web-svc", n: 7 },
  },
  {
    name: "uuid.SHA1 (UUIDv5) matches an independent RFC 4122 computation",
    source: lines(
      'import "uuid"',
      'id: uuid.SHA1("11bc6112-a6e8-4021-bec9-b3ad246f9466", "example.com/app@v0#web:1.0.0")',
    ),
    value: { id: "cc3ce448-8ba7-5719-9d10-c1824cad086f" },
  },
  {
    name: "uuid.SHA1 in the DNS namespace",
    source: lines('import "uuid"', 'id: uuid.SHA1(uuid.ns.DNS, "opmodel.dev")'),
    value: { id: "c1cbe76d-5687-5a47-bfe6-83b081b15413" },
  },
  {
    name: "strings library",
    source: lines(
      'import "strings"',
      'up: strings.ToUpper("web")',
      'joined: strings.Join(["a", "b"], "-")',
      'has: strings.HasPrefix("opm-web", "opm")',
      'parts: strings.Split("a,b,c", ",")',
    ),
    value: { up: "WEB", joined: "a-b", has: true, parts: ["a", "b", "c"] },
  },
  {
    name: "list library",
    source: lines(
      'import "list"',
      "sum: list.Sum([1, 2, 3])",
      "sorted: list.Sort([3, 1, 2], list.Ascending)",
      "flat: list.FlattenN([[1], [2, [3]]], 1)",
      "has: list.Contains([1, 2], 2)",
    ),
    value: { sum: 6, sorted: [1, 2, 3], flat: [1, 2, [3]], has: true },
  },
  {
    name: "conflicting values",
    source: lines("a: 1", "a: 2"),
    error: { path: "a", message: "conflicting values 2 and 1", at: `${F}:1:4` },
  },
  {
    name: "bound violation",
    source: lines("#Port: int & >0 & <65536", "port: #Port & 70000"),
    error: { path: "port", message: "invalid value 70000 (out of bound <65536)", at: `${F}:1:19` },
  },
  {
    name: "non-concrete field",
    source: lines("#App: {name: string}", "app: #App"),
    error: { path: "app.name", message: "incomplete value string", at: `${F}:1:14` },
  },
  {
    name: "list element type error has an index path",
    source: lines("xs: [...int]", 'xs: [1, "two"]'),
    error: { path: "xs.1", message: /conflicting values "two" and int/, at: `${F}:1:9` },
  },
  {
    name: "division by zero",
    source: lines("a: 1", "b: a / 0"),
    error: { path: "b", message: "failed arithmetic: division by zero", at: `${F}:2:4` },
  },
  {
    name: "regular expression constraint",
    source: lines('name: =~"^[a-z]+$"', 'name: "Web"'),
    error: {
      path: "name",
      message: /invalid value "Web" \(out of bound =~"\^\[a-z\]\+\$"\)/,
      at: `${F}:1:7`,
    },
  },
  {
    name: "encoding/json and yaml in CUE",
    source: lines(
      'import "encoding/json"',
      'import "encoding/yaml"',
      'cfg: {port: 80, tags: ["a"]}',
      "asJSON: json.Marshal(cfg)",
      "asYAML: yaml.Marshal(cfg)",
    ),
    value: {
      cfg: { port: 80, tags: ["a"] },
      asJSON: '{"port":80,"tags":["a"]}',
      asYAML: "port: 80\ntags:\n  - a\n",
    },
  },
  {
    name: "definitions embed and unify",
    source: lines(
      "#Base: {kind: string, labels: [string]: string}",
      '#Web: {#Base, kind: "web", port: int | *8080}',
      'w: #Web & {labels: app: "blog"}',
    ),
    path: "w",
    value: { kind: "web", labels: { app: "blog" }, port: 8080 },
  },
  {
    name: "an embedded definition keeps the struct closed",
    source: lines(
      "#Base: {kind: string}",
      "#Web: {#Base, port: int}",
      "w: #Web & {",
      '\tkind: "web"',
      "\tport: 80",
      "\textra: 1",
      "}",
    ),
    error: { path: "w.extra", message: "field not allowed", at: `${F}:6:2` },
  },
];
