import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { run } from "../__tests__/run.ts";
import { commandInfos } from "../docs/definitions.ts";
import { buildCli } from "../main.ts";

describe("structured output", () => {
  it("every command that prints JSON prints YAML too", async () => {
    const withJson = commandInfos(await buildCli()).flatMap((c) =>
      c.options
        .filter((o) => o.names.includes("-o") && o.values?.includes("json"))
        .map((o) => ({ command: c.path.join(" "), values: o.values })),
    );
    // The commands that print data today; a new one joins this list by itself.
    expect(withJson.length).toBeGreaterThanOrEqual(17);
    for (const { command, values } of withJson)
      expect({ command, values }).toEqual({ command, values: expect.arrayContaining(["yaml"]) });
  });

  it("prints the same data as YAML and JSON", async () => {
    const json = await run(["version", "-o", "json"]);
    const yaml = await run(["version", "-o", "yaml"]);
    expect(json.code).toBe(0);
    expect(yaml.code).toBe(0);
    expect(parse(yaml.out)).toEqual(JSON.parse(json.out));
    const evalJson = await run(["mod", "eval", "examples/blog", "-o", "json"]);
    const evalYaml = await run(["mod", "eval", "examples/blog", "-o", "yaml"]);
    expect(evalJson.code).toBe(0);
    expect(parse(evalYaml.out)).toEqual(JSON.parse(evalJson.out));
  });
});
