// Writing a module tree atomically: concurrent writes of one tree from one process (the
// controller renders several releases of one inline module at once) leave one complete tree,
// never an empty or partial one, and the losers are told the tree exists.
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeTreeAtomically } from "./files.ts";

const files = new Map(
  Array.from({ length: 20 }, (_, i) => [`pkg/file-${i}.cue`, Buffer.from(`package pkg\nv${i}: ${i}\n`)]),
);

describe("writeTreeAtomically", () => {
  it.each(Array.from({ length: 30 }, (_, i) => i))(
    "leaves one complete tree when many writes of it race in one process (round %i)",
    async () => {
      const target = join(await mkdtemp(join(tmpdir(), "opm-tree-")), "module");
      const outcomes = await Promise.allSettled(
        Array.from({ length: 16 }, () => writeTreeAtomically(target, files)),
      );
      expect(outcomes.filter((o) => o.status === "fulfilled").length).toBeGreaterThanOrEqual(1);
      for (const o of outcomes)
        if (o.status === "rejected") expect(String(o.reason)).toMatch(/already exists|ENOTEMPTY|EEXIST/);
      expect(readdirSync(join(target, "pkg")).sort()).toEqual(
        [...files.keys()].map((f) => f.slice(4)).sort(),
      );
      for (const [name, data] of files) expect(readFileSync(join(target, name))).toEqual(data);
      // No staging directory is left beside it.
      expect(readdirSync(join(target, ".."))).toEqual(["module"]);
    },
  );
});
