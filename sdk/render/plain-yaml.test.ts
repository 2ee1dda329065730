// The direct manifest printer must write exactly what yaml writes, or decline: checked against yaml
// itself on every document of the repository's golden and example files, on strings of every
// character pair it may print, and on each shape it walks.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { printPlainYaml } from "./plain-yaml.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const byYaml = (value: unknown) =>
  stringify(value, { lineWidth: 0, indent: 2, aliasDuplicateObjects: false });

/** Same bytes as yaml, or declined. */
function expectSameOrDeclined(value: unknown): boolean {
  const direct = printPlainYaml(value);
  if (direct !== undefined) expect(direct).toBe(byYaml(value));
  return direct !== undefined;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith(".yaml") && !entry.parentPath.includes("node_modules"),
    )
    .map((entry) => join(entry.parentPath, entry.name));
}

describe("printPlainYaml", () => {
  it("prints the documents of every golden and example as yaml does, most of them itself", () => {
    let documents = 0;
    let direct = 0;
    for (const file of ["examples", "cli", "bridge/testdata", "providers"].flatMap((dir) =>
      yamlFiles(join(root, dir)),
    )) {
      for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
        if (!("errors" in document) || document.errors.length > 0) continue;
        const value: unknown = document.toJS();
        if (value === null || typeof value !== "object") continue;
        documents++;
        if (expectSameOrDeclined(value)) direct++;
      }
    }
    expect(documents).toBeGreaterThan(100);
    expect(direct / documents).toBeGreaterThan(0.7);
  });

  it("prints a string itself only where yaml prints it unquoted, as a value, an item and a key", () => {
    const chars = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
    let printed = 0;
    for (const a of chars) {
      for (const b of chars) {
        for (const text of [`${a}${b}x`, `x${a}${b}`, `x${a}${b}y`]) {
          if (expectSameOrDeclined({ key: text })) printed++;
          expectSameOrDeclined({ key: [text] });
          expectSameOrDeclined({ [text]: 1 });
        }
      }
    }
    expect(printed).toBeGreaterThan(10_000);
  });

  it("declines what looks like a number, a boolean, null or a date, and strings yaml quotes or folds", () => {
    for (const text of [
      "1",
      "-2",
      "1.5",
      "1e3",
      ".5",
      "0x1f",
      "0o7",
      "1_000",
      "1:30",
      "2024-01-01",
      "true",
      "False",
      "NULL",
      "yes",
      "off",
      "y",
      "",
      " a",
      "a ",
      "a: b",
      "a #b",
      "a:",
      "line\nbreak",
      "tab\there",
      "é",
      "-",
      "- a",
      "#a",
      "'a'",
      "x".repeat(501),
    ]) {
      expect(printPlainYaml({ key: text }), text).toBeUndefined();
      expect(printPlainYaml({ [text]: 1 }), text).toBeUndefined();
    }
    for (const text of [
      "10.9.11",
      "500m",
      "512Mi",
      "701f73b4-33e4-5bb7-be17-8cbdeda424d4",
      "--serve",
      "http://x/y?z=1&q",
      "it's a, b (c)!",
    ]) {
      expect(expectSameOrDeclined({ key: text }), text).toBe(true);
    }
  });

  it("walks nested mappings and sequences, empty ones, null, booleans and safe integers as yaml does", () => {
    const value = {
      apiVersion: "apps/v1",
      spec: {
        replicas: 3,
        offset: -2,
        paused: false,
        note: null,
        empty: {},
        none: [],
        list: [
          "a",
          { name: "b", ports: [{ port: 80 }, { port: 443 }] },
          ["c", ["d"], { e: 1, f: [] }],
          [],
          {},
        ],
        nested: { deeper: { deepest: [1, 2] } },
      },
    };
    expect(expectSameOrDeclined(value)).toBe(true);
    expect(expectSameOrDeclined({})).toBe(true);
  });

  it("declines floats, -0, undefined, holes, non-plain objects and top-level non-objects", () => {
    for (const value of [
      { a: 1.5 },
      { a: -0 },
      { a: Number.MAX_SAFE_INTEGER + 2 },
      { a: undefined },
      { a: [1, , 2] },
      { a: new Date(0) },
      { a: new Map() },
      { a: 1n },
      [1, 2],
      "text",
      null,
    ]) {
      expect(printPlainYaml(value)).toBeUndefined();
    }
  });
});
