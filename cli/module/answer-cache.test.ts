// The CLI's store of CUE engine answers: an unchanged module builds the same bytes from stored
// answers, and every edit a build depends on (a module file, a file in a subdirectory, a values
// file) is a different key, never a stale answer.
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { upstreamModuleDir } from "../../bridge/module/__tests__/upstream.ts";
import { run, tempDir } from "../__tests__/run.ts";
import { SecretStrings } from "../../sdk/redact.ts";
import { answerCacheDir, digestModuleFiles, holdsSecret } from "./answer-cache.ts";

function storedAnswers(cacheDir: string): number {
  const dir = join(cacheDir, "cue-answers");
  return readdirSync(dir, { withFileTypes: true })
    .filter((sub) => sub.isDirectory())
    .reduce((n, sub) => n + readdirSync(join(dir, sub.name)).length, 0);
}

function jellyfinCopy(): string {
  const dir = join(tempDir("opm-answers-module-"), "jellyfin");
  cpSync(upstreamModuleDir("jellyfin"), dir, { recursive: true });
  return dir;
}

describe("opm mod build with stored engine answers", () => {
  it("builds the same bytes from stored answers, and follows every edit", async () => {
    const dir = jellyfinCopy();
    const cacheDir = tempDir("opm-answers-cache-");
    // The engine's environment is part of the key: one HOME for every run.
    const env = { OPM_CACHE_DIR: cacheDir, HOME: tempDir("opm-home-") };
    const build = (...args: string[]) => run(["mod", "build", ".", ...args], { cwd: dir, env });
    const first = await build();
    expect(first.err).toBe("");
    expect(first.out).toBe(readFileSync(join(dir, "expected.yaml"), "utf8"));
    const stored = storedAnswers(cacheDir);
    expect(stored).toBeGreaterThan(0);

    const second = await build();
    expect(second.out).toBe(first.out);
    expect(storedAnswers(cacheDir)).toBe(stored);

    // An edited module file.
    const values = join(dir, "values.cue");
    writeFileSync(values, readFileSync(values, "utf8").replace('tag: "10.10.3"', 'tag: "10.10.4"'));
    const edited = await build();
    expect(edited.err).toBe("");
    expect(edited.out).toContain("image: jellyfin/jellyfin:10.10.4");
    expect(edited.out.replaceAll("10.10.4", "10.10.3")).toBe(first.out);

    // A new file in a subdirectory of the module (another package CUE could import).
    mkdirSync(join(dir, "lib"));
    writeFileSync(join(dir, "lib", "lib.cue"), "package lib\n\nbroken: {\n");
    const beforeLib = storedAnswers(cacheDir);
    expect(await build()).toMatchObject({ out: edited.out });
    expect(storedAnswers(cacheDir)).toBeGreaterThan(beforeLib);

    // An edited values file: the values travel in the requests.
    const valuesFile = join(dir, "values.yaml");
    const withFile = await build("-f", valuesFile);
    writeFileSync(valuesFile, readFileSync(valuesFile, "utf8").replace("size: 20Gi", "size: 30Gi"));
    const editedFile = await build("-f", valuesFile);
    expect(editedFile.out).not.toBe(withFile.out);
    expect(editedFile.out).toContain("storage: 30Gi");
    expect(editedFile.out.replace("storage: 30Gi", "storage: 20Gi")).toBe(withFile.out);
  });

  it("is left out when -v reports which engine answers", async () => {
    const dir = jellyfinCopy();
    const cacheDir = tempDir("opm-answers-cache-");
    const { code } = await run(["mod", "build", ".", "-v"], { cwd: dir, env: { OPM_CACHE_DIR: cacheDir } });
    expect(code).toBe(0);
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});

describe("digestModuleFiles", () => {
  it("covers every .cue file of the module, from any package directory in it", () => {
    const dir = jellyfinCopy();
    const before = digestModuleFiles(dir, []);
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    mkdirSync(join(dir, "sub", "deep"), { recursive: true });
    expect(digestModuleFiles(join(dir, "sub", "deep"), [])).toBe(before);
    writeFileSync(join(dir, "sub", "deep", "x.cue"), "package deep\n");
    const after = digestModuleFiles(dir, []);
    expect(after).not.toBe(before);
    expect(digestModuleFiles(join(dir, "sub", "deep"), [])).toBe(after);
  });

  it("ignores what CUE never reads: hidden directories, node_modules, other files", () => {
    const dir = jellyfinCopy();
    const before = digestModuleFiles(dir, []);
    for (const ignored of [".git", "node_modules"]) {
      mkdirSync(join(dir, ignored));
      writeFileSync(join(dir, ignored, "x.cue"), "x: 1\n");
    }
    writeFileSync(join(dir, "README.md"), "# jellyfin\n");
    expect(digestModuleFiles(dir, [])).toBe(before);
  });

  it("covers a file: registry configuration", () => {
    const dir = jellyfinCopy();
    const config = join(tempDir(), "registry.cue");
    writeFileSync(config, 'defaultRegistry: registry: "a.example"\n');
    const before = digestModuleFiles(dir, [undefined, `file:${config}`]);
    writeFileSync(config, 'defaultRegistry: registry: "b.example"\n');
    expect(digestModuleFiles(dir, [undefined, `file:${config}`])).not.toBe(before);
  });

  it("gives no digest where it cannot know every file", () => {
    const dir = jellyfinCopy();
    expect(digestModuleFiles(tempDir(), [])).toBeUndefined();
    expect(digestModuleFiles(dir, ["file:/nonexistent/registry.cue"])).toBeUndefined();
    symlinkSync(tempDir(), join(dir, "linked"));
    expect(digestModuleFiles(dir, [])).toBeUndefined();
    const other = jellyfinCopy();
    writeFileSync(
      join(other, "embed.cue"),
      '@extern(embed)\npackage jellyfin\n\nfiles: _ @embed(glob="*.json")\n',
    );
    expect(digestModuleFiles(other, [])).toBeUndefined();
  });

  it("gives no digest past its limits", () => {
    const dir = jellyfinCopy(); // 4 .cue files, 9 entries
    const limits = { entries: 100, files: 100, bytes: 1 << 20 };
    expect(digestModuleFiles(dir, [], limits)).toBe(digestModuleFiles(dir, []));
    expect(digestModuleFiles(dir, [], { ...limits, files: 3 })).toBeUndefined();
    expect(digestModuleFiles(dir, [], { ...limits, entries: 5 })).toBeUndefined();
    expect(digestModuleFiles(dir, [], { ...limits, bytes: 1000 })).toBeUndefined();
  });
});

describe("answerCacheDir", () => {
  it("is OPM_CACHE_DIR's, else XDG_CACHE_HOME's, else HOME's, else none", () => {
    expect(answerCacheDir({ OPM_CACHE_DIR: "/c", HOME: "/h" })).toBe("/c/cue-answers");
    expect(answerCacheDir({ XDG_CACHE_HOME: "/x", HOME: "/h" })).toBe("/x/opm/cue-answers");
    expect(answerCacheDir({ HOME: "/h" })).toBe("/h/.cache/opm/cue-answers");
    expect(answerCacheDir({})).toBeUndefined();
  });
});

/** Every stored answer's text, for looking for what must never be written. */
function storedTexts(cacheDir: string): string[] {
  const dir = join(cacheDir, "cue-answers");
  return readdirSync(dir, { withFileTypes: true })
    .filter((sub) => sub.isDirectory())
    .flatMap((sub) =>
      readdirSync(join(dir, sub.name)).map((name) => readFileSync(join(dir, sub.name, name), "utf8")),
    );
}

describe("secrets and stored answers", () => {
  it("never writes a secret value to the answer store (it did: #Secret values in plain text)", async () => {
    const cacheDir = tempDir("opm-answers-cache-");
    const env = { OPM_CACHE_DIR: cacheDir, HOME: tempDir("opm-home-") };
    const canary = "CANARY-answer-store-7f3a91";
    const dir = resolve("examples/secrets/cue");
    const first = await run(["mod", "build", ".", "--set", `db.password.value=${canary}`], { cwd: dir, env });
    expect(first.code).toBe(0);
    // The build rendered the value (base64 in the Secret), so the engine did see it.
    expect(first.out).toContain(Buffer.from(canary).toString("base64"));
    const texts = storedTexts(cacheDir);
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) {
      expect(text).not.toContain(canary);
      expect(text).not.toContain('"$opm":"secret"');
    }
    // What was stored still serves a second build, with the same bytes.
    const second = await run(["mod", "build", ".", "--set", `db.password.value=${canary}`], {
      cwd: dir,
      env,
    });
    expect(second.out).toBe(first.out);
  });

  it("tells answers with secret material from answers without", () => {
    const plain = '"result":{"web":{"image":"nginx:1.27","replicas":2}}}';
    expect(holdsSecret(plain, undefined)).toBe(false);
    expect(holdsSecret('"result":{"db":{"$opm":"secret","value":"hunter2-long"}}}', undefined)).toBe(true);
    expect(holdsSecret('"result":{"db":{"password":"hunter2-long"}}}', undefined)).toBe(true);
    // A value the run learned is secret (a SOPS-decrypted one, a --set-file) under any name.
    const secrets = new SecretStrings();
    secrets.add("nginx:1.27");
    expect(holdsSecret(plain, secrets)).toBe(true);
    expect(holdsSecret(plain, new SecretStrings())).toBe(false);
    // Not JSON: not checked, so not written.
    expect(holdsSecret('"result":{', undefined)).toBe(true);
  });
});
