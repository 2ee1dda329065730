// The executable's guess that a run renders a TypeScript module (prestart.ts): it starts the module
// worker early only then. A wrong "yes" costs an idle worker; a wrong "no" only the head start.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, tempDir } from "../__tests__/run.ts";
import { likelyTypeScriptModule } from "./prestart.ts";

describe("likelyTypeScriptModule", () => {
  it("says yes for a render command naming a *.opm.ts file or a directory holding one", () => {
    expect(likelyTypeScriptModule(["mod", "build", "examples/jellyfin"], repoRoot)).toBe(true);
    expect(likelyTypeScriptModule(["mod", "vet", "examples/jellyfin/jellyfin.opm.ts"], repoRoot)).toBe(true);
    // Option values come first here; the path is still found.
    expect(
      likelyTypeScriptModule(
        ["mod", "apply", "-n", "media", "-f", "examples/jellyfin/values.yaml", "examples/jellyfin"],
        repoRoot,
      ),
    ).toBe(true);
    // No path: the working directory.
    expect(likelyTypeScriptModule(["mod", "diff"], join(repoRoot, "examples/jellyfin"))).toBe(true);
  });

  it("says no for a CUE module, even beside a TS one in the working directory", () => {
    expect(likelyTypeScriptModule(["mod", "build", "examples/jellyfin/cue"], repoRoot)).toBe(false);
    expect(likelyTypeScriptModule(["mod", "build", "cue"], join(repoRoot, "examples/jellyfin"))).toBe(false);
  });

  it("says no for other commands, help, remote modules and paths that are no module", () => {
    expect(likelyTypeScriptModule(["mod", "init", "examples/jellyfin"], repoRoot)).toBe(false);
    expect(likelyTypeScriptModule(["version"], repoRoot)).toBe(false);
    expect(likelyTypeScriptModule(["mod", "build", "examples/jellyfin", "--help"], repoRoot)).toBe(false);
    expect(likelyTypeScriptModule(["mod", "build", "example.com/app@v1.0.0"], repoRoot)).toBe(false);
    const empty = tempDir("opm-prestart-");
    mkdirSync(join(empty, "sub"));
    writeFileSync(join(empty, "values.yaml"), "a: 1\n");
    expect(likelyTypeScriptModule(["mod", "build", "sub", "-f", "values.yaml"], empty)).toBe(false);
    expect(likelyTypeScriptModule(["mod", "build", "missing"], empty)).toBe(false);
  });
});
