// The canary suite (issue 12 item 5, issue 11 item 8): a release whose database password is a
// unique canary runs through every command and every output channel against the real control
// plane; the canary may appear only where it is asked for (`mod build` without --redact, `mod
// eval --show-secrets`) and nowhere else: not on stdout or stderr of any other command, not in
// -v plans, -o json/yaml, diffs, errors (the API server's rejection of a changed Job template
// quotes the whole pod template), the inventory, or files written with --redact.
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { ClusterClient } from "../../../providers/kubernetes/cluster/client.ts";
import { run, tempDir, type CliRun } from "../../__tests__/run.ts";

const MODULE = "cli/testdata/secret-app";
const env = () => ({ KUBECONFIG: inject("kubeconfig") });

/** A value nothing else contains; its base64 form is checked too (Secret data carries it so). */
const canary = () => `canary-${randomBytes(6).toString("hex")}`;

function leaks(text: string, secret: string): string[] {
  const forms = [secret, Buffer.from(secret).toString("base64")];
  return forms.filter((form) => text.includes(form));
}

/** Asserts the run printed no form of `secret`, naming the channel that leaked. */
function expectNoLeak(label: string, result: CliRun, secret: string): void {
  expect(leaks(result.out, secret), `${label}: stdout`).toEqual([]);
  expect(leaks(result.err, secret), `${label}: stderr`).toEqual([]);
}

describe("secrets never leak: commands × channels with a canary", () => {
  const ns = `canary-${randomBytes(3).toString("hex")}`;
  const secret = canary();
  const changedSecret = canary();
  let passwordFile: string;
  let changedFile: string;
  const target = () => ["-n", ns];

  beforeAll(() => {
    const dir = tempDir("opm-canary-");
    passwordFile = join(dir, "password");
    changedFile = join(dir, "password-2");
    writeFileSync(passwordFile, secret);
    writeFileSync(changedFile, changedSecret);
  });

  const withPassword = (file: string) => ["--set-file", `db.password=${file}`];
  const withAdminPassword = (file: string) => ["--set-file", `db.adminPassword=${file}`];

  it("mod build prints the Secret (it is the manifest); --redact masks it in stdout and in --split files", async () => {
    const shown = await run(["mod", "build", MODULE, ...withPassword(passwordFile)]);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(Buffer.from(secret).toString("base64"));
    expect(shown.out).toContain(`value: ${secret}`);
    expect(leaks(shown.err, secret)).toEqual([]);

    for (const format of ["yaml", "json"]) {
      const masked = await run([
        "mod",
        "build",
        MODULE,
        ...withPassword(passwordFile),
        "--redact",
        "-o",
        format,
        "-v",
      ]);
      expect(masked.code).toBe(0);
      expectNoLeak(`build --redact -o ${format}`, masked, secret);
      expect(masked.out).toContain("<masked>");
    }

    const dir = tempDir("opm-canary-split-");
    const split = await run([
      "mod",
      "build",
      MODULE,
      ...withPassword(passwordFile),
      "--split",
      "--out-dir",
      join(dir, "redacted"),
      "--redact",
    ]);
    expect(split.code).toBe(0);
    for (const file of readdirSync(join(dir, "redacted")))
      expect(leaks(readFileSync(join(dir, "redacted", file), "utf8"), secret), file).toEqual([]);

    // Unredacted, a file that holds a Secret is the owner's only.
    const plain = await run([
      "mod",
      "build",
      MODULE,
      ...withPassword(passwordFile),
      "--split",
      "--out-dir",
      join(dir, "plain"),
    ]);
    expect(plain.code).toBe(0);
    expect(statSync(join(dir, "plain", "secret-db-credentials.yaml")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "plain")).mode & 0o777).toBe(0o700);
  });

  it("mod vet and mod eval never show it; eval --show-secrets does", async () => {
    const vet = await run(["mod", "vet", MODULE, ...withPassword(passwordFile), "-v"]);
    expect(vet.code).toBe(0);
    expectNoLeak("vet -v", vet, secret);
    for (const format of ["yaml", "json"]) {
      const evaluated = await run(["mod", "eval", MODULE, ...withPassword(passwordFile), "-o", format]);
      expect(evaluated.code).toBe(0);
      expectNoLeak(`eval -o ${format}`, evaluated, secret);
      expect(evaluated.out).toContain("<masked>");
    }
    const asked = await run(["mod", "eval", MODULE, ...withPassword(passwordFile), "--show-secrets"]);
    expect(asked.code).toBe(0);
    expect(asked.out).toContain(secret);
  });

  it("apply (-v, -o json), the inventory, status, tree, events, list, history, get-values never show it", async () => {
    const applied = await run(
      [
        "mod",
        "apply",
        MODULE,
        ...target(),
        ...withPassword(passwordFile),
        "--create-namespace",
        "--no-wait",
        "-v",
      ],
      { env: env() },
    );
    expect(applied.err).not.toContain("error OPM");
    expect(applied.code).toBe(0);
    expectNoLeak("apply -v", applied, secret);
    const again = await run(
      ["mod", "apply", MODULE, ...target(), ...withPassword(passwordFile), "--no-wait", "-o", "json"],
      { env: env() },
    );
    expect(again.code).toBe(0);
    expectNoLeak("apply -o json", again, secret);

    // The inventory records entries and digests, never values.
    const client = ClusterClient.fromKubeconfig({ paths: [inject("kubeconfig")] });
    try {
      const list = await client.json<{
        items: { metadata: { name: string }; data?: Record<string, string> }[];
      }>(
        "GET",
        `/api/v1/namespaces/${ns}/secrets?labelSelector=${encodeURIComponent("opmodel.dev/component=inventory")}`,
        "listing inventories",
      );
      expect(list.items.length).toBe(1);
      const decoded = Object.values(list.items[0]!.data ?? {})
        .map((v) => Buffer.from(v, "base64").toString("utf8"))
        .join("\n");
      expect(leaks(decoded, secret)).toEqual([]);
    } finally {
      client.close();
    }

    const commands: string[][] = [
      ["mod", "status", MODULE, ...target(), "-o", "wide"],
      ["mod", "status", MODULE, ...target(), "-o", "json"],
      ["mod", "status", "--release-name", "secret-app", ...target(), "-o", "yaml"],
      ["mod", "tree", MODULE, ...target()],
      ["mod", "tree", MODULE, ...target(), "-o", "json"],
      ["mod", "events", MODULE, ...target()],
      ["mod", "events", MODULE, ...target(), "-o", "json"],
      ["mod", "list", ...target(), "-o", "json"],
      ["mod", "list", "-A"],
      ["mod", "history", MODULE, ...target(), "-o", "json"],
      ["mod", "get-values", MODULE, ...target()],
      ["mod", "get-values", "--release-name", "secret-app", ...target(), "-o", "json"],
    ];
    for (const argv of commands) {
      const result = await run([...argv, ...(argv.includes(MODULE) ? withPassword(passwordFile) : [])], {
        env: env(),
      });
      // status exits 2 while objects are not ready yet (--no-wait); no command may fail.
      expect(result.err, argv.join(" ")).not.toContain("error OPM");
      expect(result.code, `${argv.join(" ")}: ${result.err}`).toBeLessThanOrEqual(2);
      expectNoLeak(argv.join(" "), result, secret);
    }
  });

  it("diff shows the Secret and env changed, with digests, but neither value (text, json, -v)", async () => {
    for (const format of ["text", "json"]) {
      const diffed = await run(
        ["mod", "diff", MODULE, ...target(), ...withPassword(changedFile), "-o", format, "-v"],
        { env: env() },
      );
      expect(diffed.code, diffed.err).toBe(1);
      expectNoLeak(`diff -o ${format} (old value)`, diffed, secret);
      expectNoLeak(`diff -o ${format} (new value)`, diffed, changedSecret);
      expect(diffed.out).toContain("db-credentials");
      // "changed" is visible through the markers' digests, which differ for old and new.
      expect(diffed.out).toMatch(/\(secret value hidden\) #[0-9a-f]+/);
    }
  });

  it("the API server's rejection of a changed Job template is shown without the password", async () => {
    // Changing the admin password changes the Job's pod template, which Kubernetes refuses (the
    // field is immutable) with a message that quotes the whole template, env values included.
    const rejected = await run(
      [
        "mod",
        "apply",
        MODULE,
        ...target(),
        ...withPassword(passwordFile),
        ...withAdminPassword(changedFile),
        "--no-wait",
        "--debug",
      ],
      { env: env() },
    );
    expect(rejected.code).not.toBe(0);
    expect(rejected.err).toContain("immutable");
    expectNoLeak("apply rejected (new value)", rejected, changedSecret);
    expectNoLeak("apply rejected (old value)", rejected, secret);

    const json = await run(
      [
        "mod",
        "apply",
        MODULE,
        ...target(),
        ...withPassword(passwordFile),
        ...withAdminPassword(changedFile),
        "--no-wait",
        "-o",
        "json",
      ],
      { env: env() },
    );
    expect(json.code).not.toBe(0);
    expectNoLeak("apply rejected -o json", json, changedSecret);
  });

  it("delete never shows it", async () => {
    const deleted = await run(
      ["mod", "delete", MODULE, ...target(), ...withPassword(passwordFile), "--yes"],
      {
        env: env(),
      },
    );
    expect(deleted.code, deleted.err).toBe(0);
    expectNoLeak("delete", deleted, secret);
  });
});
