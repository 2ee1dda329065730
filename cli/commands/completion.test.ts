import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tempDir } from "../__tests__/run.ts";

async function bashComplete(words: string[]): Promise<string[]> {
  const { out } = await run(["completion", "bash"]);
  const script = join(tempDir(), "opm.bash");
  writeFileSync(script, out);
  const cword = words.length - 1;
  const program = `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${cword}; _opm_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = execFileSync("bash", ["-c", program], { encoding: "utf8", cwd: tempDir() });
  return result.split("\n").filter((l) => l !== "");
}

describe("opm completion", () => {
  it("completes groups, verbs and flags in bash", async () => {
    // Other commands join the tree over time; these must always be offered.
    expect(await bashComplete(["opm", ""])).toEqual(
      expect.arrayContaining(["completion", "config", "mod", "version", "--help", "--version"]),
    );
    expect(await bashComplete(["opm", "mod", ""])).toEqual(
      expect.arrayContaining(["build", "eval", "init", "vet"]),
    );
    expect(await bashComplete(["opm", "mod", "build", "--s"])).toEqual(["--set", "--strict", "--split"]);
    expect(await bashComplete(["opm", "mod", "build", "./app", "--no"])).toEqual(["--no-color"]);
  });

  it("prints a zsh script on top of bashcompinit", async () => {
    const { code, out } = await run(["completion", "zsh"]);
    expect(code).toBe(0);
    expect(out.split("\n").slice(0, 3)).toEqual([
      "#compdef opm",
      "# zsh completion for opm. Load it with:  source <(opm completion zsh)",
      "autoload -U +X bashcompinit && bashcompinit",
    ]);
  });

  it("prints fish completions for every command", async () => {
    const { code, out } = await run(["completion", "fish"]);
    expect(code).toBe(0);
    expect(out).toMatch(
      /^complete -c opm -n "__fish_seen_subcommand_from mod; and not __fish_seen_subcommand_from [a-z -]*\bbuild\b[a-z -]*" -a build -d "render a module to Kubernetes manifests"$/m,
    );
    expect(out).toContain(
      'complete -c opm -n "__fish_seen_subcommand_from mod; and __fish_seen_subcommand_from build" -l values -s f -r -F -d "values file (YAML, JSON or TS), repeatable; later files win"',
    );
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

      Prints a completion script for commands, flags and files, generated from the 
      command definitions of this opm.

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
