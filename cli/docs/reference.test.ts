import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../../sdk/index.ts";
import { buildCli } from "../main.ts";
import { cliReference, errorReference, formatMarkdown } from "./reference.ts";

const path = (name: string) => new URL(`../../docs/${name}`, import.meta.url).pathname;
const read = (name: string) => readFileSync(path(name), "utf8");

describe("generated docs", () => {
  it("docs/cli.md matches the command definitions (run `npm run docs:cli`)", async () => {
    expect(read("cli.md")).toBe(await formatMarkdown(cliReference(await buildCli()), path("cli.md")));
  });

  it("docs/errors.md lists every code (run `npm run docs:cli`)", async () => {
    const text = read("errors.md");
    expect(text).toBe(await formatMarkdown(errorReference(), path("errors.md")));
    for (const entry of Object.values(ErrorCodes)) {
      expect(text).toMatch(new RegExp(`\\| ${entry.code} +\\|`));
    }
  });

  it("gives every command a description and examples", async () => {
    for (const def of (await buildCli()).definitions()) {
      if (def.path === "opm" || def.path.startsWith("opm -")) continue;
      expect(def.description, def.path).toBeTruthy();
      expect(def.examples?.length ?? 0, def.path).toBeGreaterThan(0);
    }
  });

  it("keeps codes unique", () => {
    const codes = errorReference()
      .split("\n")
      .filter((l) => /^\| OPM\d{4} \|/.test(l))
      .map((l) => l.split("|")[1]!.trim());
    expect(new Set(codes).size).toBe(codes.length);
  });
});
