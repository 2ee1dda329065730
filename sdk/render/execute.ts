// Runs each matched transformer on its component and normalises the output to a list of
// objects: one object (has `apiVersion`), a list, or a map of objects (docs/architecture.md, decision 9).
// Transformers run one after another (a CUE transformer may share one engine); a failing one is
// recorded and the others continue (fail-on-end).
import { OpmError } from "../errors.ts";
import type { Component } from "../ir/component.ts";
import type { PlatformObject, TransformOutput, Transformer, TransformerContext } from "../ir/transformer.ts";
import { messageOf } from "./release.ts";

/** One object of a render, with the component and transformer it came from. */
export interface RenderedObject {
  /** The object as it will be applied (patched and in canonical key order once render returns it). */
  readonly object: PlatformObject;
  /** Component name. */
  readonly component: string;
  /** Transformer FQN. */
  readonly transformer: string;
  /** The patches applied to it after its transformer (`<component>-patch-<n>`), in order. */
  readonly patches?: readonly string[];
  /** Its stage in the release's stage plan (render sets it; absent straight from a transformer). */
  readonly stage?: number;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function outputObjects(output: TransformOutput): unknown[] {
  if (output === undefined || output === null) return [];
  if (Array.isArray(output)) return [...(output as unknown[])];
  if (isRecord(output) && "apiVersion" in output) return [output];
  if (isRecord(output)) return Object.keys(output).map((key) => output[key]);
  return [output];
}

function problemOf(candidate: unknown): string | undefined {
  if (!isRecord(candidate)) return "is not an object";
  if (typeof candidate["apiVersion"] !== "string" || candidate["apiVersion"] === "")
    return "has no apiVersion";
  if (typeof candidate["kind"] !== "string" || candidate["kind"] === "") return "has no kind";
  const metadata = candidate["metadata"];
  if (!isRecord(metadata) || typeof metadata["name"] !== "string" || metadata["name"] === "")
    return "has no metadata.name";
  return undefined;
}

/** Runs a transformer (or anything that transforms like one: a policy rule that renders objects). */
export async function runTransformer(
  transformer: { readonly metadata: { readonly fqn: string }; readonly transform: Transformer["transform"] },
  component: Component,
  context: TransformerContext,
): Promise<{ objects: RenderedObject[]; errors: OpmError[] }> {
  const fqn = transformer.metadata.fqn;
  const name = component.metadata.name;
  let output: TransformOutput;
  try {
    output = await transformer.transform(component, context);
  } catch (cause) {
    const error = new OpmError("TransformFailed", {
      message: `component ${name}, transformer ${fqn}: ${messageOf(cause)}`,
      cause,
      details: { component: name, transformer: fqn },
    });
    return { objects: [], errors: [error] };
  }
  const objects: RenderedObject[] = [];
  const errors: OpmError[] = [];
  outputObjects(output).forEach((candidate, index) => {
    const problem = problemOf(candidate);
    if (problem === undefined) {
      objects.push({ object: candidate as PlatformObject, component: name, transformer: fqn });
    } else {
      errors.push(
        new OpmError("InvalidOutput", {
          message: `component ${name}, transformer ${fqn}: output #${index + 1} ${problem}`,
          hint: "a transformer returns Kubernetes-style objects with apiVersion, kind and metadata.name",
          details: { component: name, transformer: fqn, index },
        }),
      );
    }
  });
  return { objects, errors };
}
