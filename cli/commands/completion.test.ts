import { execFileSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";
import { run, tempDir } from "../__tests__/run.ts";

/** `opm __complete ...`: the candidates and the directive line, in-process. */
async function complete(words: string[], env: Record<string, string> = {}) {
  const { code, out, err } = await run(["__complete", ...words], { env });
  expect(err).toBe("");
  expect(code).toBe(0);
  const lines = out.split("\n").filter((l) => l !== "");
  return { words: lines.slice(0, -1), directive: lines.at(-1) };
}

/** A kubeconfig with three contexts on two clusters (the servers are never contacted). */
function kubeconfigWithContexts(): string {
  const file = join(tempDir(), "kubeconfig");
  writeFileSync(
    file,
    [
      "apiVersion: v1",
      "kind: Config",
      "current-context: dev",
      "clusters:",
      "  - { name: a, cluster: { server: 'https://127.0.0.1:1' } }",
      "  - { name: b, cluster: { server: 'https://127.0.0.1:2' } }",
      "users: [{ name: u, user: { token: t } }]",
      "contexts:",
      "  - { name: dev, context: { cluster: a, user: u } }",
      "  - { name: staging, context: { cluster: a, user: u, namespace: stage } }",
      "  - { name: prod-eu, context: { cluster: b, user: u } }",
      "",
    ].join("\n"),
  );
  return file;
}

describe("opm __complete", () => {
  it("offers subcommands, never file names, where a command is expected", async () => {
    const top = await complete([""]);
    expect(top.words).toEqual(expect.arrayContaining(["completion", "config", "mod", "version", "--help"]));
    expect(top.words).not.toContain("__complete");
    expect(top.directive).toBe(":nofiles");
    expect(await complete(["mod", "b"])).toEqual({ words: ["build"], directive: ":nofiles" });
  });

  it("offers a command's flags, and paths for its path argument", async () => {
    expect((await complete(["mod", "build", "--s"])).words).toEqual([
      "--set",
      "--set-string",
      "--set-json",
      "--set-file",
      "--strict",
      "--split",
    ]);
    expect(await complete(["mod", "build", ""])).toEqual({ words: [], directive: ":files" });
    // One path argument only: after it, nothing more.
    expect(await complete(["mod", "build", "./app", ""])).toEqual({ words: [], directive: ":nofiles" });
    expect((await complete(["mod", "build", "-f", ""])).directive).toBe(":files");
  });

  it("offers enum values, after the flag, after '=' and for positionals", async () => {
    expect(await complete(["mod", "eval", "-o", ""])).toEqual({
      words: ["yaml", "json", "cue"],
      directive: ":nofiles",
    });
    expect((await complete(["mod", "eval", "--output=j"])).words).toEqual(["--output=json"]);
    // bash splits `--output=j` at '=' (COMP_WORDBREAKS): the '=' arrives as a word of its own.
    expect((await complete(["mod", "eval", "--output", "=", "j"])).words).toEqual(["json"]);
    expect((await complete(["completion", ""])).words).toEqual(["bash", "zsh", "fish"]);
    expect((await complete(["dev", "cluster", "st"])).words).toEqual(["status"]);
  });

  it("offers every context of a kubeconfig with several, from --kubeconfig or KUBECONFIG", async () => {
    const kubeconfig = kubeconfigWithContexts();
    expect(await complete(["mod", "apply", "--kubeconfig", kubeconfig, "--context", ""])).toEqual({
      words: ["dev", "staging", "prod-eu"],
      directive: ":nofiles",
    });
    const fromEnv = await complete(["mod", "status", "--context", "p"], { KUBECONFIG: kubeconfig });
    expect(fromEnv.words).toEqual(["prod-eu"]);
  });

  it("offers nothing, quickly and without an error, when the cluster cannot be reached", async () => {
    const kubeconfig = kubeconfigWithContexts();
    expect(await complete(["mod", "status", "--kubeconfig", kubeconfig, "-n", ""])).toEqual({
      words: [],
      directive: ":nofiles",
    });
  });

  it("offers the cluster's namespaces and the releases in the chosen one", async () => {
    const env = { KUBECONFIG: inject("kubeconfig") };
    const ns = `complete-${randomBytes(3).toString("hex")}`;
    const applied = await run(
      ["mod", "apply", "cli/testdata/web", "-n", ns, "--create-namespace", "--no-wait"],
      {
        env,
      },
    );
    expect(applied.code).toBe(0);
    const namespaces = await complete(["mod", "status", "-n", "complete-"], env);
    expect(namespaces.words).toContain(ns);
    expect(namespaces.words.every((n) => n.startsWith("complete-"))).toBe(true);
    expect(await complete(["mod", "status", "-n", ns, "--release-name", ""], env)).toEqual({
      words: ["web"],
      directive: ":nofiles",
    });
    expect((await run(["mod", "delete", "--release-name", "web", "-n", ns, "--yes"], { env })).code).toBe(0);
  });
});

describe("opm completion", () => {
  /** Runs the bash script's function as bash would on Tab, with `opm` being this checkout. */
  function bashComplete(script: string, words: string[]): string[] {
    const dir = tempDir();
    const repo = fileURLToPath(new URL("../..", import.meta.url));
    const shim = join(dir, "opm");
    // tsx resolves from the working directory: run this checkout's opm from the repository.
    writeFileSync(
      shim,
      `#!/bin/sh\ncd "${repo}" && exec "${process.execPath}" --import tsx cli/bin.ts "$@"\n`,
    );
    chmodSync(shim, 0o755);
    writeFileSync(join(dir, "opm.bash"), script);
    writeFileSync(join(dir, "values.yaml"), "a: 1\n");
    const program = `source opm.bash; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _opm_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const result = execFileSync("bash", ["-c", program], {
      encoding: "utf8",
      cwd: dir,
      env: { ...process.env, PATH: `${dir}:${process.env["PATH"] ?? ""}` },
    });
    return result.split("\n").filter((l) => l !== "");
  }

  it("bash: asks opm at each Tab, and adds files only where paths fit", async () => {
    const { out } = await run(["completion", "bash"]);
    expect(bashComplete(out, ["opm", "mod", "bu"])).toEqual(["build"]);
    expect(bashComplete(out, ["opm", "mod", "build", "-o", ""])).toEqual(["yaml", "json"]);
    expect(bashComplete(out, ["opm", "mod", "build", "-f", "val"])).toEqual(["values.yaml"]);
    expect(bashComplete(out, ["opm", "mod", ""])).not.toContain("values.yaml");
    // Four processes through tsx: slow on a loaded machine, so a generous bound.
  }, 120_000);

  it("prints a zsh script on top of bashcompinit", async () => {
    const { code, out } = await run(["completion", "zsh"]);
    expect(code).toBe(0);
    expect(out.split("\n").slice(0, 4)).toEqual([
      "#compdef opm",
      "# zsh completion for opm. Load it with:  source <(opm completion zsh)",
      "# zsh runs the bash function through bashcompinit: one implementation for both shells.",
      "autoload -U +X bashcompinit && bashcompinit",
    ]);
    expect(out).toContain('opm __complete "${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur"');
  });

  it("prints a fish script that asks opm and completes paths only when told to", async () => {
    const { code, out } = await run(["completion", "fish"]);
    expect(code).toBe(0);
    expect(out).toContain("set -l lines (opm __complete $words $current 2>/dev/null)");
    expect(out).toContain("complete -c opm -f -a '(__opm_complete)'");
  });

  it("rejects an unknown shell as a usage error", async () => {
    const { code, err } = await run(["completion", "powershell"]);
    expect(err).toMatchInlineSnapshot(`
      "error OPM7001: opm completion: invalid value for shell: expected one of "bash", "zsh", or "fish" (got "powershell")
        hint: run 'opm completion --help' for usage
      "
    `);
    expect(code).toBe(1);
  });

  it("shows help with examples", async () => {
    const { code, out } = await run(["completion", "--help"]);
    expect(code).toBe(0);
    expect(out).toMatchInlineSnapshot(`
      "Print a shell completion script (bash, zsh or fish)

      Usage

      $ opm completion <shell>

      Options

        -v,--verbose       explain what happens on stderr (resolved settings, match plan, provenance)
        --debug            print stack traces of errors
        --color            colour the output even when piped (--no-color: never); default: on a terminal, unless NO_COLOR (FORCE_COLOR forces)
        --config <file>    configuration file (env OPM_CONFIG; default ~/.opm/config.cue)

      Details

      Prints a completion script for commands, flags, enum values, kubeconfig 
      contexts, namespaces, release names and paths. The script asks this opm at each 
      Tab press, so it follows the commands of the installed version and never goes 
      stale.

      Examples

      Enable completion in the current bash
        $ source <(opm completion bash)

      Enable it for every zsh session
        $ opm completion zsh > "\${fpath[1]}/_opm"

      Enable it in fish
        $ opm completion fish | source
      "
    `);
  });
});
