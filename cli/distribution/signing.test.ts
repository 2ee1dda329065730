// Signatures in cosign's key-based format, with the real cosign as the oracle both ways: cosign
// verifies what `opm mod publish --sign-key` signs, opm verifies what `cosign sign --key` signs,
// and both refuse a changed signature, another key, and an artefact replaced after signing.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { RegistryClient } from "../../providers/oci/client.ts";
import { signatureTag } from "../../providers/oci/cosign.ts";
import { MediaType } from "../../providers/oci/media-types.ts";
import { run, tempDir } from "../__tests__/run.ts";
import { cueModuleFile, runTool, writeFiles } from "./__tests__/tools.ts";

const host = inject("registry");
const registry = `example.com=${host}+insecure`;
const PASSWORD = "cosign-test-password";
let keys: string;
let otherKeys: string;

async function keyPair(): Promise<string> {
  const dir = tempDir();
  const made = await runTool("cosign", ["generate-key-pair"], {
    cwd: dir,
    env: { HOME: dir, COSIGN_PASSWORD: PASSWORD },
  });
  expect(made.code, made.err).toBe(0);
  return dir;
}

const cosign = (args: string[], dir: string) =>
  runTool("cosign", args, { cwd: dir, env: { HOME: dir, COSIGN_PASSWORD: PASSWORD } });

async function publish(name: string, version: string, extra: string[] = []) {
  const lib = writeFiles(tempDir(), {
    "cue.mod/module.cue": cueModuleFile(`example.com/${name}@v0`),
    "s.cue": `package ${name}\n\nv: "${version}"\n`,
  });
  const result = await run(
    ["mod", "publish", lib, "--version", version, "--registry", registry, "-o", "json", ...extra],
    { env: { COSIGN_PASSWORD: PASSWORD } },
  );
  expect(result.code, result.err).toBe(0);
  return JSON.parse(result.out) as { digest: string; reference: string; signature?: string };
}

beforeAll(async () => {
  [keys, otherKeys] = await Promise.all([keyPair(), keyPair()]);
}, 120_000);

describe("cosign signatures", () => {
  it("signs on publish in a form cosign verifies, and verifies on get", async () => {
    const published = await publish("signed", "v0.1.0", ["--sign-key", join(keys, "cosign.key")]);
    expect(published.signature).toBe(`${host}/example.com/signed:${signatureTag(published.digest)}`);
    const ref = `${host}/example.com/signed@${published.digest}`;
    const verified = await cosign(
      ["verify", "--key", "cosign.pub", "--insecure-ignore-tlog=true", ref],
      keys,
    );
    expect(verified.code, verified.err).toBe(0);
    expect(verified.err).toContain("The signatures were verified against the specified public key");
    const got = await run([
      "mod",
      "get",
      "example.com/signed@v0.1.0",
      "--output",
      join(tempDir(), "s"),
      "--verify-key",
      join(keys, "cosign.pub"),
      "--registry",
      registry,
    ]);
    expect(got.code, got.err).toBe(0);
    expect(got.out).toContain("(signature verified)");
  });

  it("verifies what cosign signed, and refuses another key, a changed signature and a replaced artefact", async () => {
    const published = await publish("cosigned", "v0.1.0");
    const ref = `${host}/example.com/cosigned@${published.digest}`;
    const signed = await cosign(["sign", "--key", "cosign.key", "--tlog-upload=false", "-y", ref], keys);
    expect(signed.code, signed.err).toBe(0);
    const get = (key: string) =>
      run([
        "mod",
        "get",
        "example.com/cosigned@v0.1.0",
        "--output",
        join(tempDir(), "c"),
        "--verify-key",
        key,
        "--registry",
        registry,
      ]);
    expect((await get(join(keys, "cosign.pub"))).code).toBe(0);

    const otherKey = await get(join(otherKeys, "cosign.pub"));
    expect(otherKey.code).toBe(2);
    expect(otherKey.err).toContain("OPM9015");
    expect(otherKey.err).toContain("does not verify with the key");

    // Change one byte of the stored signature, as someone with push access to the repository could.
    const client = new RegistryClient();
    const repo = { host, repository: "example.com/cosigned" };
    const sig = await client.pullManifest(repo, signatureTag(published.digest));
    const text = sig.bytes.toString("utf8");
    const value = /"dev\.cosignproject\.cosign\/signature":"([^"]+)"/.exec(text)![1]!;
    const flipped = value.slice(0, 10) + (value[10] === "A" ? "B" : "A") + value.slice(11);
    await client.pushManifest(
      repo,
      signatureTag(published.digest),
      Buffer.from(text.replace(value, flipped)),
      MediaType.imageManifest,
    );
    const changed = await get(join(keys, "cosign.pub"));
    expect(changed.code).toBe(2);
    expect(changed.err).toContain("OPM9015");
    expect(
      (await cosign(["verify", "--key", "cosign.pub", "--insecure-ignore-tlog=true", ref], keys)).code,
    ).not.toBe(0);

    // Replace the signed version with other content: the signature names the old digest.
    const lib = writeFiles(tempDir(), {
      "cue.mod/module.cue": cueModuleFile("example.com/cosigned@v0"),
      "s.cue": 'package cosigned\n\nv: "evil"\n',
    });
    expect(
      (await run(["mod", "publish", lib, "--version", "v0.1.0", "--force", "--registry", registry])).code,
    ).toBe(0);
    const replaced = await get(join(keys, "cosign.pub"));
    expect(replaced.code).toBe(2);
    expect(replaced.err).toContain("OPM9015");
    expect(replaced.err).toContain("is not signed");
  });

  it("refuses a signing key with the wrong password, and a key file that is not a key", async () => {
    const lib = writeFiles(tempDir(), {
      "cue.mod/module.cue": cueModuleFile("example.com/badkey@v0"),
      "s.cue": "package badkey\n",
    });
    const wrong = await run(
      [
        "mod",
        "publish",
        lib,
        "--version",
        "v0.1.0",
        "--registry",
        registry,
        "--sign-key",
        join(keys, "cosign.key"),
      ],
      {
        env: { COSIGN_PASSWORD: "not it" },
      },
    );
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain("OPM9016");
    expect(wrong.err).toContain("wrong password");
    expect(
      await new RegistryClient().headManifest({ host, repository: "example.com/badkey" }, "v0.1.0"),
    ).toBeUndefined();
    const notKey = await run([
      "mod",
      "get",
      "example.com/badkey@v0.1.0",
      "--output",
      join(tempDir(), "b"),
      "--verify-key",
      join(keys, "cosign.key"),
      "--registry",
      registry,
    ]);
    expect(notKey.code).toBe(2);
    expect(notKey.err).toContain("OPM9016");
    expect(readFileSync(join(keys, "cosign.pub"), "utf8")).toContain("PUBLIC KEY");
  });
});
