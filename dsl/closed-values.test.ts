// Values are closed like CUE's `values: close(#config)`: unknown keys are errors, at any depth,
// while records, loose objects and unions keep their own rules.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { zodConfigSchema } from "./schema.ts";

const config = zodConfigSchema(
  z.object({
    image: z.object({ repository: z.string(), tag: z.string().default("latest") }),
    media: z.record(z.string(), z.object({ mountPath: z.string() })),
    extra: z.looseObject({ known: z.string().optional() }),
    ports: z.array(z.object({ port: z.int() })),
    mode: z.union([z.object({ a: z.string() }), z.object({ b: z.string() })]),
    strict: z.strictObject({ s: z.string().optional() }),
  }),
);

const valid = {
  image: { repository: "nginx" },
  media: { movies: { mountPath: "/m" } },
  extra: { anything: 1 },
  ports: [{ port: 80 }],
  mode: { a: "x" },
  strict: {},
};

describe("closed values", () => {
  it("accepts declared keys, record entries and loose objects", async () => {
    const check = await config.validate(valid);
    expect(check.issues).toEqual([]);
    expect(check.value).toMatchObject({ image: { repository: "nginx", tag: "latest" } });
  });

  it("reports every unknown key with its path, also next to type errors", async () => {
    const check = await config.validate({
      ...valid,
      typo: true,
      image: { repository: 7, tga: "1.0" },
      media: { movies: { mountPath: "/m", sise: "1Gi" } },
      ports: [{ port: 80, protocol: "TCP" }],
      mode: { a: "x", c: "y" },
      strict: { t: 1 },
    });
    const byPath = Object.fromEntries(check.issues.map((i) => [i.path.join("."), i.message]));
    expect(byPath).toEqual({
      "image.repository": "Invalid input: expected string, received number",
      "image.tga": "field not allowed",
      "media.movies.sise": "field not allowed",
      "ports.0.protocol": "field not allowed",
      "mode.c": "field not allowed",
      strict: 'Unrecognized key: "t"',
      typo: "field not allowed",
    });
  });
});
