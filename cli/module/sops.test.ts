// SOPS values files, encrypted by the real `sops` and `age-keygen` (built from the Go module proxy
// by testenv) and decrypted by opm in memory; `--set-file`. Every failure is a coded error and
// leaves nothing behind.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runTool } from "../distribution/__tests__/tools.ts";
import { run, tempDir } from "../__tests__/run.ts";

const MODULE = "cli/testdata/secret-app";
const PASSWORD = "s0ps-canary-7f3e9a";

interface Key {
  readonly file: string;
  readonly recipient: string;
}

async function ageKey(dir: string, name: string): Promise<Key> {
  const file = join(dir, name);
  const made = await runTool("age-keygen", ["-o", file]);
  expect(made.code, made.err).toBe(0);
  const recipient = /public key: (age1[0-9a-z]+)/.exec(readFileSync(file, "utf8"))?.[1];
  if (recipient === undefined) throw new Error(`age-keygen wrote no public key to ${file}`);
  return { file, recipient };
}

async function encrypt(
  dir: string,
  plain: string,
  out: string,
  recipient: string,
  args: string[] = [],
): Promise<string> {
  const type = out.endsWith(".json") ? "json" : "yaml";
  const result = await runTool(
    "sops",
    ["--encrypt", "--age", recipient, "--input-type", type, "--output-type", type, ...args, join(dir, plain)],
    { cwd: dir },
  );
  expect(result.code, result.err).toBe(0);
  writeFileSync(join(dir, out), result.out);
  return join(dir, out);
}

describe("SOPS values files", () => {
  let dir: string;
  let key: Key;
  let other: Key;
  let yamlFile: string;
  let jsonFile: string;

  beforeAll(async () => {
    dir = tempDir("opm-sops-");
    key = await ageKey(dir, "key.txt");
    other = await ageKey(dir, "other.txt");
    writeFileSync(
      join(dir, "plain.yaml"),
      `image: nginx:1.29\ndb:\n  password: ${PASSWORD}\n  port: 6543\ndebug: true\nhosts:\n  - a.example\n  - b.example\n`,
    );
    yamlFile = await encrypt(dir, "plain.yaml", "values.sops.yaml", key.recipient);
    writeFileSync(
      join(dir, "plain.json"),
      JSON.stringify({ image: "nginx:in-clear", db: { password: PASSWORD } }),
    );
    jsonFile = await encrypt(dir, "plain.json", "values.sops.json", key.recipient, [
      "--unencrypted-regex",
      "^image$",
    ]);
  }, 600_000);

  it("decrypts a YAML file with the key from SOPS_AGE_KEY_FILE: strings, numbers, booleans, lists", async () => {
    expect(readFileSync(yamlFile, "utf8")).not.toContain(PASSWORD);
    const before = readdirSync(dir).sort();
    const { code, out, err } = await run(["mod", "build", MODULE, "-f", yamlFile], {
      env: { SOPS_AGE_KEY_FILE: key.file },
    });
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain(`value: ${PASSWORD}\n`);
    expect(out).toContain("image: nginx:1.29\n");
    expect(out).toContain('value: "6543"\n');
    expect(out).toContain('value: "true"\n');
    expect(out).toContain("value: a.example,b.example\n");
    // Decrypted in memory only: no file appeared anywhere next to the inputs.
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it("decrypts a JSON file with the key in SOPS_AGE_KEY; values sops left in clear count in the MAC", async () => {
    expect(readFileSync(jsonFile, "utf8")).toContain('"image": "nginx:in-clear"');
    const { code, out, err } = await run(["mod", "build", MODULE, "-f", jsonFile], {
      env: { SOPS_AGE_KEY: readFileSync(key.file, "utf8") },
    });
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain(`value: ${PASSWORD}\n`);
    expect(out).toContain("image: nginx:in-clear\n");
    // The value in clear is covered by the MAC: changing it is detected.
    const changed = join(dir, "changed.sops.json");
    writeFileSync(changed, readFileSync(jsonFile, "utf8").replace("nginx:in-clear", "nginx:evil"));
    const tampered = await run(["mod", "build", MODULE, "-f", changed], {
      env: { SOPS_AGE_KEY: readFileSync(key.file, "utf8") },
    });
    expect(tampered.err).toContain("error OPM7043: SOPS file ");
    expect(tampered.code).toBe(2);
  });

  it("finds sops's default key file under XDG_CONFIG_HOME", async () => {
    const config = tempDir("opm-xdg-");
    const { mkdirSync, copyFileSync } = await import("node:fs");
    mkdirSync(join(config, "sops", "age"), { recursive: true });
    copyFileSync(key.file, join(config, "sops", "age", "keys.txt"));
    const { code, out } = await run(["mod", "build", MODULE, "-f", yamlFile], {
      env: { XDG_CONFIG_HOME: config },
    });
    expect(code).toBe(0);
    expect(out).toContain(`value: ${PASSWORD}\n`);
  });

  it("refuses a wrong key with OPM7041 (exit 4), naming the recipients, printing no value", async () => {
    const { code, out, err } = await run(["mod", "build", MODULE, "-f", yamlFile], {
      env: { SOPS_AGE_KEY_FILE: other.file },
    });
    expect(out).toBe("");
    expect(err).toContain("error OPM7041: SOPS file ");
    expect(err).toContain(key.recipient);
    expect(err).not.toContain(PASSWORD);
    expect(err).not.toContain("    at ");
    expect(code).toBe(4);
  });

  it("refuses with OPM7040 when no key is given at all", async () => {
    const { code, err } = await run(["mod", "build", MODULE, "-f", yamlFile]);
    expect(err).toContain("error OPM7040: SOPS file ");
    expect(err).toContain("SOPS_AGE_KEY_FILE");
    expect(code).toBe(1);
  });

  it("refuses with OPM7040 when SOPS_AGE_KEY_FILE names a missing file", async () => {
    const { code, err } = await run(["mod", "build", MODULE, "-f", yamlFile], {
      env: { SOPS_AGE_KEY_FILE: join(dir, "missing.txt") },
    });
    expect(err).toContain("error OPM7040: SOPS_AGE_KEY_FILE names ");
    expect(code).toBe(1);
  });

  it("detects values swapped between keys (OPM7043): the path is part of each value's seal", async () => {
    const text = readFileSync(yamlFile, "utf8");
    const image = /^image: (ENC\[[^\n]*\])$/m.exec(text)![1]!;
    const password = /^ {4}password: (ENC\[[^\n]*\])$/m.exec(text)![1]!;
    const swapped = join(dir, "swapped.sops.yaml");
    writeFileSync(swapped, text.replace(image, "IMAGE").replace(password, image).replace("IMAGE", password));
    const { code, out, err } = await run(["mod", "build", MODULE, "-f", swapped], {
      env: { SOPS_AGE_KEY_FILE: key.file },
    });
    expect(out).toBe("");
    expect(err).toContain("error OPM7043: SOPS file ");
    expect(code).toBe(2);
  });

  it("detects a removed value through the MAC (OPM7043)", async () => {
    const text = readFileSync(yamlFile, "utf8");
    const cut = join(dir, "cut.sops.yaml");
    writeFileSync(cut, text.replace(/^ {4}- ENC\[[^\n]*\n/m, ""));
    const { code, err } = await run(["mod", "build", MODULE, "-f", cut], {
      env: { SOPS_AGE_KEY_FILE: key.file },
    });
    expect(err).toContain("error OPM7043: SOPS file ");
    expect(err).toContain("MAC");
    expect(code).toBe(2);
  });

  it("refuses a file without sops metadata (OPM7042)", async () => {
    const plain = join(dir, "plain.sops.yaml");
    writeFileSync(plain, "db:\n  password: x\n");
    const { code, err } = await run(["mod", "build", MODULE, "-f", plain], {
      env: { SOPS_AGE_KEY_FILE: key.file },
    });
    expect(err).toContain("error OPM7042: SOPS file ");
    expect(code).toBe(2);
  });
});

describe("--set-file", () => {
  it("sets a value to a file's content, above -f files", async () => {
    const dir = tempDir("opm-set-file-");
    writeFileSync(join(dir, "pw.txt"), "from-a-file-123");
    const { code, out, err } = await run([
      "mod",
      "build",
      MODULE,
      "--set-file",
      `db.password=${join(dir, "pw.txt")}`,
    ]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("value: from-a-file-123\n");
  });

  it("refuses a missing file (OPM7006, exit 5) and an expression without '=' (OPM2005)", async () => {
    const missing = await run(["mod", "build", MODULE, "--set-file", "db.password=/nonexistent/pw.txt"]);
    expect(missing.err).toContain("error OPM7006: --set-file ");
    expect(missing.code).toBe(5);
    const bad = await run(["mod", "build", MODULE, "--set-file", "db.password"]);
    expect(bad.err).toMatch(/error OPM\d+: --set-file "db.password": missing '='/);
    expect(bad.code).toBe(2);
  });
});
