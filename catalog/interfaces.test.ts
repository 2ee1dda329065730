// The TS well-known interfaces are hand-written twins of catalog/cue/interfaces: each must have
// the CUE definition's metadata (so FQNs match across languages), the same fields with the same
// required/optional/defaulted split (host aside: OPM sets it), and the same `#defaults`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { catalogOverlay, OVERLAY_ROOT } from "../bridge/codegen/extract.ts";
import { readCatalogSources } from "../bridge/codegen/node-io.ts";
import { createCueEngine, type CueEngine, type CueValue } from "../bridge/index.ts";
import { GrpcServer, HttpServer, KafkaTopic, Postgres, Redis } from "./index.ts";

const CASES = [
  ["network", "#HttpServerInterface", HttpServer],
  ["network", "#GrpcServerInterface", GrpcServer],
  ["data", "#PostgresInterface", Postgres],
  ["data", "#RedisInterface", Redis],
  ["messaging", "#KafkaTopicInterface", KafkaTopic],
] as const;

const root = `package codegen

import (
	n "opmodel.dev/interfaces/network@v0"
	d "opmodel.dev/interfaces/data@v0"
	m "opmodel.dev/interfaces/messaging@v0"
)

// The packages under names of their own: a field named like its import would refer to itself.
interfaces: {network: n, data: d, messaging: m}
`;

describe("the TS well-known interfaces match their CUE definitions", () => {
  let engine: CueEngine;
  let value: CueValue;

  beforeAll(async () => {
    engine = createCueEngine();
    const overlay = catalogOverlay(await readCatalogSources(), { "interfaces.cue": root });
    value = (await engine.load({ dir: OVERLAY_ROOT, overlay })).value;
  }, 60_000);
  afterAll(async () => {
    await engine.close();
  });

  it.each(CASES)("%s %s", async (pkg, name, ts) => {
    const at = `interfaces.${pkg}.${name}`;
    expect(await engine.export(value, { path: `${at}.metadata` })).toEqual(ts.metadata);
    expect(await engine.export(value, { path: `${at}.#defaults` })).toEqual(ts.defaults);

    const fields = (await engine.fields(value, { path: `${at}.#shape` })).filter((f) => f.name !== "host");
    const schema = z.toJSONSchema(ts.shape, { io: "input" }) as {
      properties: Record<string, { default?: unknown }>;
      required?: string[];
    };
    expect(fields.map((f) => f.name).sort()).toEqual(Object.keys(schema.properties).sort());
    expect(
      fields
        .filter((f) => f.required)
        .map((f) => f.name)
        .sort(),
    ).toEqual([...(schema.required ?? [])].sort());
    const defaulted = Object.keys(schema.properties).filter(
      (k) => schema.properties[k]!.default !== undefined,
    );
    // CUE gives an open list a default (`[]`); only regular fields count.
    expect(
      fields
        .filter((f) => f.hasDefault && !f.optional)
        .map((f) => f.name)
        .sort(),
    ).toEqual(defaulted.sort());
    // Every shape has host, which OPM sets.
    const host = (await engine.fields(value, { path: `${at}.#shape` })).find((f) => f.name === "host");
    expect(host?.required).toBe(true);
  });
});
