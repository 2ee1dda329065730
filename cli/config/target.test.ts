// One Target per command run: the config file is read and checked once however often the run
// asks for it, the namespace follows the one precedence rule, and the kubeconfig is read by the
// cluster library's parser (the same merge and the same error as connecting).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isOpmError } from "../../sdk/errors.ts";
import { tempDir } from "../__tests__/run.ts";
import { Target } from "./target.ts";

function configFile(dir: string, namespace: string): string {
  const path = join(dir, "config.cue");
  writeFileSync(
    path,
    `package config\n\nconfig: {\n\tproviders: kubernetes: {}\n\tkubernetes: namespace: "${namespace}"\n}\n`,
  );
  return path;
}

function kubeconfig(dir: string, name: string, contexts: Record<string, string>, current?: string): string {
  const path = join(dir, name);
  const entries = Object.entries(contexts)
    .map(([ctx, ns]) => `  - name: ${ctx}\n    context: {cluster: c, namespace: ${ns}}`)
    .join("\n");
  writeFileSync(
    path,
    `${current === undefined ? "" : `current-context: ${current}\n`}contexts:\n${entries}\n`,
  );
  return path;
}

describe("Target", () => {
  it("reads and checks the config file once per run, however often it is asked for", async () => {
    const dir = tempDir("opm-target-");
    const path = configFile(dir, "first");
    const target = Target.of({ configPath: path }, { HOME: dir }, dir);
    expect((await target.namespace()).value).toBe("first");
    // A second read would see this file (and fail on it); the run keeps what it read.
    writeFileSync(path, "package config\n\nconfig: kubernetes: namespace: 42\n");
    expect((await target.config()).config.kubernetes?.namespace).toBe("first");
    expect((await target.inNamespace("pinned").config()).config.kubernetes?.namespace).toBe("first");
    // A new run reads the file again and reports what is wrong with it.
    const error = await Target.of({ configPath: path }, { HOME: dir }, dir)
      .config()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
  });

  it("decides the namespace: -n > OPM_NAMESPACE > module > config > context > default", async () => {
    const dir = tempDir("opm-target-");
    const config = configFile(dir, "from-config");
    const kube = kubeconfig(dir, "kubeconfig", { dev: "from-context" }, "dev");
    // A config file's directory is its CUE package: the empty one lives apart.
    mkdirSync(join(dir, "empty"));
    const empty = join(dir, "empty", "config.cue");
    const ns = async (flags: object, env: Record<string, string>, module?: string) =>
      (await Target.of(flags, { HOME: dir, ...env }, dir).namespace(module)).value;
    expect(await ns({ namespace: "flag", configPath: config }, { OPM_NAMESPACE: "env" }, "module")).toBe(
      "flag",
    );
    expect(await ns({ configPath: config }, { OPM_NAMESPACE: "env" }, "module")).toBe("env");
    expect(await ns({ configPath: config }, {}, "module")).toBe("module");
    expect(await ns({ configPath: config, kubeconfig: kube }, {}, undefined)).toBe("from-config");
    writeFileSync(empty, "package config\n\nconfig: providers: kubernetes: {}\n");
    expect(await ns({ configPath: empty, kubeconfig: kube }, {})).toBe("from-context");
    expect(await ns({ configPath: empty, kubeconfig: join(dir, "missing") }, {})).toBe("default");
    const pinned = Target.of({ configPath: config }, { HOME: dir }, dir).inNamespace("pinned");
    expect((await pinned.namespace("module")).value).toBe("pinned");
  });

  it("merges KUBECONFIG like kubectl: the first file that names a context wins", async () => {
    const dir = tempDir("opm-target-");
    mkdirSync(join(dir, ".opm"));
    const first = kubeconfig(dir, "a", { shared: "from-a" });
    const second = kubeconfig(dir, "b", { shared: "from-b", other: "from-b-other" }, "other");
    const env = { HOME: dir, KUBECONFIG: `${first}:${join(dir, "missing")}:${second}` };
    expect((await Target.of({}, env, dir).namespace()).value).toBe("from-b-other");
    expect((await Target.of({ kubeContext: "shared" }, env, dir).namespace()).value).toBe("from-a");
    expect(await Target.of({}, env, dir).kubeconfigPaths()).toEqual({
      paths: [first, join(dir, "missing"), second],
      context: undefined,
    });
  });

  it("reports a kubeconfig that is not YAML as OPM7019 at the file, before any connection", async () => {
    const dir = tempDir("opm-target-");
    const broken = join(dir, "broken");
    writeFileSync(broken, "contexts: [unclosed\n");
    const error = await Target.of({ kubeconfig: broken }, { HOME: dir }, dir)
      .namespace()
      .catch((e: unknown) => e);
    expect(isOpmError(error) && [error.code, error.locations?.[0]?.file]).toEqual(["OPM7019", broken]);
    expect(isOpmError(error) && error.message).toMatch(/^kubeconfig .*broken cannot be read: not valid YAML/);
  });
});
