// Matching that cannot silently drop work: a resource no matched transformer renders is a
// positioned error, and the three kinds of ComponentMatcher (a transformer's predicate, the
// caller's matcher, the default rule) each record why they decided.
import { describe, expect, it } from "vitest";
import type { ComponentMatcher } from "../ir/transformer.ts";
import { CONTAINER, EXPOSE, comp, mod, obj, provider, transformer, WT } from "./__tests__/fixtures.ts";
import { locateComponentInSource } from "./locate-component.ts";
import { handledResourcesOf, matchRequirements } from "./match.ts";
import { plan, render } from "./render.ts";

describe("resources no matched transformer renders", () => {
  it("are an error when only a trait transformer matches a container (no workload type)", async () => {
    const module = mod(
      { web: comp("web", {}, [EXPOSE]) },
      {
        locateComponent: (name) => (name === "web" ? { file: "web.opm.ts", line: 7, column: 5 } : undefined),
      },
    );
    const result = await render({ module, provider });
    expect(result.errors.map((e) => e.code)).toEqual(["OPM3009"]);
    const error = result.errors[0]!;
    expect(String(error)).toBe(
      `web.opm.ts:7:5: component web: resource ${CONTAINER} is rendered by no matched transformer ` +
        "(matched: example.com/t@v0#Service), so it would be dropped. Transformers that render it:\n" +
        `  - example.com/t@v0#Deployment: Not matched: missing labels: ${WT} [OPM3009]`,
    );
    expect(error.hint).toBe(
      `add what one of the transformers above is missing, e.g. the label ${WT} (one of stateless) ` +
        "(workloadType(...) in TypeScript), or use a blueprint that sets it",
    );
    expect(error.details).toMatchObject({
      component: "web",
      resource: CONTAINER,
      matched: ["example.com/t@v0#Service"],
      candidates: [{ fqn: "example.com/t@v0#Deployment", requiredLabels: { [WT]: "stateless" } }],
    });
    expect(result.matchPlan.components[0]!.unhandledResources).toEqual([CONTAINER]);
  });

  it("are reported by plan (vet) too, and not when a workload transformer renders them", async () => {
    const bad = await plan({ module: mod({ web: comp("web", {}, [EXPOSE]) }), provider });
    expect(bad.errors.map((e) => e.code)).toEqual(["OPM3009"]);
    const good = await render({
      module: mod({ web: comp("web", { [WT]: "stateless" }, [EXPOSE]) }),
      provider,
    });
    expect(good.errors).toEqual([]);
    expect(good.matchPlan.components[0]!.unhandledResources).toEqual([]);
    expect(good.resources.map((r) => r.object.kind)).toEqual(["Service", "Deployment"]);
  });

  it("name the gap when no transformer of the provider renders the resource", async () => {
    const trait = transformer("trait-only", { requiredTraits: [EXPOSE] });
    const result = await render({
      module: mod({ web: comp("web", {}, [EXPOSE]) }),
      provider: { ...provider, transformers: { [trait.metadata.fqn]: trait } },
    });
    expect(result.errors.map((e) => e.message)).toEqual([
      `component web: resource ${CONTAINER} is rendered by no matched transformer (matched: ` +
        "example.com/t@v0#TraitOnly), so it would be dropped; no transformer of the provider renders it",
    ]);
    expect(result.errors[0]!.hint).toBe(
      "remove the resource, or use a provider with a transformer that renders it",
    );
  });

  it("an unmatched component is one OPM3001 (positioned), not also an unrendered resource", async () => {
    const module = mod(
      { worker: comp("worker", {}) },
      { locateComponent: () => ({ file: "m.cue", line: 3 }) },
    );
    const result = await render({ module, provider });
    expect(result.errors.map((e) => [e.code, e.location])).toEqual([["OPM3001", { file: "m.cue", line: 3 }]]);
    expect(result.matchPlan.components[0]!.unhandledResources).toEqual([]);
  });

  it("count required and optional resources as handled unless a transformer lists its own", () => {
    const workload = transformer("w", { requiredResources: ["a"], optionalResources: ["b"] });
    expect(handledResourcesOf(workload)).toEqual(["a", "b"]);
    expect(handledResourcesOf({ ...workload, handledResources: [] })).toEqual([]);
  });
});

describe("ComponentMatcher", () => {
  it("a caller's matcher decides for transformers without a predicate, with its reason", async () => {
    // Matches by a team label instead of the workload type, refining the default rule.
    const byTeam: ComponentMatcher = (component, t) => {
      const base = matchRequirements(component, t);
      if (t.metadata.name !== "deployment") return base;
      const team = component.metadata.labels["team"];
      return {
        matched: team !== undefined,
        reason: team === undefined ? "no team label" : `team ${String(team)}`,
      };
    };
    const result = await render({
      module: mod({ web: comp("web", { team: "a" }) }),
      provider,
      matcher: byTeam,
    });
    expect(result.errors).toEqual([]);
    expect(result.matchPlan.components[0]!.decisions.map((d) => [d.rule, d.matched, d.reason])).toEqual([
      ["matcher", true, "Matched: matcher: team a"],
      ["matcher", false, `Not matched: matcher: missing traits: ${EXPOSE}`],
    ]);
    expect(result.resources.map((r) => r.object.kind)).toEqual(["Deployment"]);
  });

  it("a transformer's own predicate wins over the caller's matcher", async () => {
    const own = transformer("own", {
      requiredResources: [CONTAINER],
      matches: () => ({ matched: true, reason: "always" }),
      transform: (c, ctx) => obj("Deployment", c.metadata.name, ctx),
    });
    const result = await render({
      module: mod({ web: comp("web", {}) }),
      provider: { ...provider, transformers: { [own.metadata.fqn]: own } },
      matcher: () => false,
    });
    expect(result.matchPlan.components[0]!.decisions.map((d) => [d.rule, d.reason])).toEqual([
      ["predicate", "Matched: predicate: always"],
    ]);
  });

  it("a throwing matcher is an OPM4002 error and a recorded non-match", async () => {
    const result = await render({
      module: mod({ web: comp("web", { [WT]: "stateless" }) }),
      provider,
      matcher: () => {
        throw new Error("no rules");
      },
    });
    expect(result.errors.map((e) => e.code)).toEqual(["OPM4002", "OPM4002", "OPM3001"]);
    expect(result.matchPlan.components[0]!.decisions[0]!.reason).toBe("Not matched: matcher: matcher failed");
  });
});

describe("locateComponentInSource", () => {
  it("finds a component's label after the components field, in TS and CUE", () => {
    const ts =
      'export default defineModule({\n  components: () => ({\n    api: component(x),\n    "web-ui": y,\n  }),\n});\n';
    expect(locateComponentInSource("m.opm.ts", ts, "web-ui")).toEqual({
      file: "m.opm.ts",
      line: 4,
      column: 5,
    });
    const cue = 'package m\n\nmetadata: name: "web"\n#components: {\n\tweb: {\n\t}\n}\n';
    expect(locateComponentInSource("c.cue", cue, "web")).toEqual({ file: "c.cue", line: 5, column: 2 });
    expect(locateComponentInSource("c.cue", cue, "db")).toBeUndefined();
    expect(locateComponentInSource("c.cue", "web: 1", "web")).toBeUndefined();
  });
});
