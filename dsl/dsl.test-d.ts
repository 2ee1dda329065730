// Type tests of the builders: config flows typed into `components`, values are checked against
// the config, custom definitions infer their spec type and spec key, and a component's spec is
// typed by its parts. Checked by `npx tsc -p tsconfig.json` (and `vitest --typecheck`).
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { Container, Scaling, type ContainerSpec, type ScalingSpec } from "../catalog/index.ts";
import {
  component,
  defineModule,
  defineResource,
  defineTrait,
  partOf,
  workloadType,
  type KebabToPascal,
  type SpecKeyOf,
  type SpecOf,
} from "./index.ts";

describe("names", () => {
  it("compute spec keys and Pascal names at the type level", () => {
    expectTypeOf<SpecKeyOf<"health-check">>().toEqualTypeOf<"healthCheck">();
    expectTypeOf<SpecKeyOf<"config-maps">>().toEqualTypeOf<"configMaps">();
    expectTypeOf<KebabToPascal<"stateless-workload">>().toEqualTypeOf<"StatelessWorkload">();
  });
});

describe("defineModule", () => {
  it("types the config handed to components and checks the author's values", () => {
    defineModule({
      metadata: { apiVersion: "example.com/modules@v0", name: "typed", version: "0.1.0" },
      config: z.object({
        replicas: z.int(),
        image: z.string(),
        media: z.record(z.string(), z.object({ path: z.string() })),
      }),
      values: { replicas: 1, image: "nginx", media: {} },
      components: (config) => {
        expectTypeOf(config.replicas).toEqualTypeOf<number>();
        expectTypeOf(config.media).toEqualTypeOf<Record<string, { path: string }>>();
        return { web: component(workloadType("stateless"), Container({ name: "web", image: config.image })) };
      },
    });

    defineModule({
      metadata: { apiVersion: "example.com/modules@v0", name: "typed", version: "0.1.0" },
      config: z.object({ replicas: z.int() }),
      // @ts-expect-error replicas is a number
      values: { replicas: "one" },
      components: () => ({}),
    });
  });
});

describe("component", () => {
  it("types the merged spec by its parts", () => {
    const draft = component(
      Container({ name: "a", image: "b" }),
      Scaling({ count: 2 }),
      workloadType("stateless"),
    );
    expectTypeOf(draft.spec.container).toEqualTypeOf<ContainerSpec>();
    expectTypeOf(draft.spec.scaling).toEqualTypeOf<ScalingSpec>();
    // @ts-expect-error no Expose part, so no spec.expose
    void draft.spec.expose;
  });
});

describe("custom definitions", () => {
  const Bucket = defineResource({
    metadata: { apiVersion: "example.com/resources@v0", name: "object-bucket" },
    schema: z.object({ size: z.string(), public: z.boolean().optional() }),
  });

  it("infer the spec type from the schema and the spec key from the name", () => {
    expectTypeOf(Bucket.specKey).toEqualTypeOf<"objectBucket">();
    expectTypeOf<SpecOf<typeof Bucket>>().toEqualTypeOf<{ size: string; public?: boolean | undefined }>();
    expectTypeOf(partOf(Bucket, { size: "1Gi" }).spec).toEqualTypeOf<{
      objectBucket: { size: string; public?: boolean | undefined };
    }>();
    // @ts-expect-error size is required
    partOf(Bucket, { public: true });
  });

  it("take an explicit spec type", () => {
    const Retention = defineTrait<"retention", { days: number }>({
      metadata: { apiVersion: "example.com/traits@v0", name: "retention" },
      appliesTo: [Bucket],
    });
    expectTypeOf<SpecOf<typeof Retention>>().toEqualTypeOf<{ days: number }>();
    expectTypeOf(Retention.specKey).toEqualTypeOf<"retention">();
  });
});
