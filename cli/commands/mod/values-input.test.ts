// The ways values reach a render from the command line besides files: standard input (`-f -`)
// and the --set family as Helm spells it (--set, --set-string, --set-json, in Helm's order).
import { describe, expect, it } from "vitest";
import { run } from "../../__tests__/run.ts";

const MODULE = "cli/testdata/web";

describe("values from the command line", () => {
  it("reads YAML values from standard input with -f -, layered where it stands", async () => {
    const { code, out, err } = await run(["mod", "build", MODULE, "-f", "-"], {
      stdin: "image: nginx:1.29\nreplicas: 4\n",
    });
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("image: nginx:1.29\n");
    expect(out).toContain("  replicas: 4\n");
    // A later file wins over stdin; --set wins over both.
    const later = await run(
      ["mod", "build", MODULE, "-f", "-", "-f", `${MODULE}/prod-values.ts`, "--set", "replicas=7"],
      {
        stdin: '{"image": "nginx:1.29", "replicas": 4}',
      },
    );
    expect(later.code).toBe(0);
    expect(later.out).toContain("image: nginx:1.28\n");
    expect(later.out).toContain("  replicas: 7\n");
  });

  it("positions a bad value from standard input at <stdin>", async () => {
    const { code, err } = await run(["mod", "build", MODULE, "-f", "-"], { stdin: "replicas: many\n" });
    expect(err).toContain("error OPM2001: values.replicas: must be a number\n  --> <stdin>:1:11\n");
    expect(code).toBe(2);
  });

  it("refuses -f - twice", async () => {
    const { code, err } = await run(["mod", "build", MODULE, "-f", "-", "-f", "-"], { stdin: "a: 1\n" });
    expect(err).toContain("error OPM7001: -f - is given twice: standard input can be read once");
    expect(code).toBe(1);
  });

  it("--set-string keeps a value a string where --set would read a number", async () => {
    const asNumber = await run(["mod", "build", MODULE, "--set", "image=1.10"]);
    expect(asNumber.err).toContain("error OPM2001: values.image: must be a string\n  --> --set image=1.10\n");
    expect(asNumber.code).toBe(2);
    const asString = await run(["mod", "build", MODULE, "--set-string", "image=1.10"]);
    expect(asString.err).toBe("");
    expect(asString.code).toBe(0);
    expect(asString.out).toContain('image: "1.10"\n');
  });

  it("--set-json reads the value as JSON, and wins under --set and --set-string as in Helm", async () => {
    const json = await run([
      "mod",
      "build",
      MODULE,
      "--set-json",
      "replicas=3",
      "--set-json",
      'image="nginx:2"',
    ]);
    expect(json.code).toBe(0);
    expect(json.out).toContain("  replicas: 3\n");
    expect(json.out).toContain("image: nginx:2\n");
    const order = await run(["mod", "build", MODULE, "--set", "replicas=5", "--set-json", "replicas=3"]);
    expect(order.out).toContain("  replicas: 5\n");
  });

  it("refuses --set-json that is not JSON, or that names a prototype key", async () => {
    const bad = await run(["mod", "build", MODULE, "--set-json", "replicas={3"]);
    expect(bad.err).toMatch(/^error OPM2003: --set-json "replicas=\{3": the value is not JSON \(/);
    expect(bad.err).toContain(`hint: write path=json, e.g. --set-json 'ports=[{"port":80}]'`);
    expect(bad.code).toBe(2);
    const proto = await run([
      "mod",
      "build",
      MODULE,
      "--set-json",
      'extra={"__proto__": {"polluted": true}}',
    ]);
    expect(proto.err).toContain('"__proto__"');
    expect(proto.code).toBe(2);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
