// The zip writer is reproducible and the reader refuses archives that could escape the
// extraction root or exhaust the disk. Hostile archives are made by patching a good one's bytes,
// the way an attacker would hand-craft them.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isOciError } from "./errors.ts";
import { writeTreeAtomically } from "./files.ts";
import { readZip, writeZip } from "./zip.ts";
import { removeTempDirs, tempDir } from "./__tests__/helpers.ts";

afterAll(removeTempDirs);

const keyOf = (fn: () => unknown): unknown => {
  try {
    fn();
    return "no error";
  } catch (e) {
    return isOciError(e) ? `${e.key}: ${e.message}` : e;
  }
};

/** Replaces every occurrence of a name in the archive (local and central headers). */
function rename(zip: Buffer, from: string, to: string): Buffer {
  expect(to.length).toBe(from.length);
  return Buffer.from(zip.toString("latin1").split(from).join(to), "latin1");
}

describe("zip", () => {
  it("writes the same bytes for the same files, whatever their order, and reads them back", () => {
    const a = writeZip({
      "b.cue": "b: 1\n",
      "cue.mod/module.cue": 'module: "x.dev/a@v0"\n',
      "a.cue": "a: 1\n",
    });
    const b = writeZip({
      "cue.mod/module.cue": 'module: "x.dev/a@v0"\n',
      "a.cue": "a: 1\n",
      "b.cue": "b: 1\n",
    });
    expect(a.equals(b)).toBe(true);
    const files = readZip(a);
    expect([...files.keys()]).toEqual(["a.cue", "b.cue", "cue.mod/module.cue"]);
    expect(files.get("b.cue")?.toString()).toBe("b: 1\n");
  });

  it("refuses path traversal, absolute paths and backslashes", () => {
    const good = writeZip({ "aa/evil.cue": "x: 1\n" });
    expect(keyOf(() => readZip(rename(good, "aa/evil.cue", "../evil.cue")))).toMatch(
      /^UnsafeArchive: "\.\.\/evil\.cue"/,
    );
    expect(keyOf(() => readZip(rename(good, "aa/evil.cue", "/a/evil.cue")))).toMatch(
      /^UnsafeArchive: .*absolute/,
    );
    expect(keyOf(() => readZip(rename(good, "aa/evil.cue", "aa\\evil.cue")))).toMatch(
      /^UnsafeArchive: .*backslash/,
    );
    expect(keyOf(() => writeZip({ "../x": "" }))).toMatch(/^UnsafeArchive/);
  });

  it("refuses symbolic links, duplicates and names that collide when case is folded", () => {
    const good = writeZip({ "link.cue": "target" });
    const link = Buffer.from(good);
    const central = link.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    link.writeUInt32LE((0o120777 << 16) >>> 0, central + 38);
    expect(keyOf(() => readZip(link))).toMatch(/^UnsafeArchive: .*symbolic link/);
    const two = writeZip({ "a.cue": "1", "b.cue": "2" });
    expect(keyOf(() => readZip(rename(two, "b.cue", "a.cue")))).toMatch(/duplicate/);
    expect(keyOf(() => readZip(rename(two, "b.cue", "A.cue")))).toMatch(/letter case/);
  });

  it("refuses archives larger than the limits, and entries whose content was changed", () => {
    const zip = writeZip({ "big.cue": "x".repeat(5000), "small.cue": "y" });
    expect(keyOf(() => readZip(zip, { maxTotalBytes: 4000 }))).toMatch(/^SizeLimitExceeded/);
    expect(keyOf(() => readZip(zip, { maxFileBytes: 100 }))).toMatch(/^SizeLimitExceeded/);
    expect(keyOf(() => readZip(zip, { maxEntries: 1 }))).toMatch(/more entries/);
    const stored = Buffer.from(zip);
    // Flip the CRC in the central directory: content no longer matches.
    const central = stored.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    stored.writeUInt32LE(stored.readUInt32LE(central + 16) ^ 1, central + 16);
    expect(keyOf(() => readZip(stored))).toMatch(/CRC/);
    expect(keyOf(() => readZip(Buffer.from("not a zip")))).toMatch(/not a zip/);
  });

  it("extracts into place in one step and leaves nothing behind on failure", async () => {
    const root = tempDir("extract");
    const target = join(root, "module");
    await writeTreeAtomically(
      target,
      new Map([
        ["cue.mod/module.cue", Buffer.from("m")],
        ["a/b.cue", Buffer.from("b")],
      ]),
    );
    expect(readFileSync(join(target, "a/b.cue"), "utf8")).toBe("b");
    const other = join(root, "other");
    const error = await writeTreeAtomically(
      other,
      new Map([
        ["ok.cue", Buffer.from("1")],
        ["../escape", Buffer.from("2")],
      ]),
    ).catch((e: unknown) => e);
    expect(isOciError(error) && error.key).toBe("UnsafeArchive");
    expect(existsSync(other)).toBe(false);
    expect(existsSync(join(root, "escape"))).toBe(false);
    expect((await import("node:fs")).readdirSync(root)).toEqual(["module"]);
  });
});
