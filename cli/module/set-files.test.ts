// --set-file: the CLI reads each file's content into its SetInput; a SetInput that carries its
// content already (the controller's valuesFrom, read from a Secret) is taken as it is.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../__tests__/run.ts";
import { readSetFiles } from "./values.ts";

describe("readSetFiles", () => {
  it("reads a --set-file's file and reports its content as sensitive", async () => {
    const dir = tempDir("opm-set-file-");
    writeFileSync(join(dir, "token.txt"), "s3cret-token");
    const seen: string[] = [];
    const read = await readSetFiles(
      [{ flag: "--set-file", text: "token=token.txt" }, "replicas=2"],
      dir,
      (v) => seen.push(v),
    );
    expect(read).toEqual([
      { flag: "--set-file", text: "token=token.txt", content: "s3cret-token" },
      "replicas=2",
    ]);
    expect(seen).toEqual(["s3cret-token"]);
  });

  it("keeps content given already, without looking for a file (the controller's valuesFrom broke on it)", async () => {
    const seen: string[] = [];
    const given = {
      flag: "--set-file" as const,
      text: "token=secret/hello-token/token",
      content: "from-a-secret",
    };
    expect(await readSetFiles([given], tempDir("opm-set-file-"), (v) => seen.push(v))).toEqual([given]);
    expect(seen).toEqual(["from-a-secret"]);
  });

  it("is OPM7006 for a file that does not exist", async () => {
    await expect(
      readSetFiles([{ flag: "--set-file", text: "token=missing.txt" }], tempDir("opm-set-file-")),
    ).rejects.toMatchObject({ code: "OPM7006" });
  });
});
