// A policy rule written in CUE (`#check` of core.#PolicyRule) as an sdk PolicyCheck: the
// component, the objects rendered for it and the rule's spec are filled into `#check.#input`,
// and `#check.violations` is read back. A violation names its object by kind and name; it is
// matched to the rendered object so results and messages are the same as a TS rule's.
import type { PlatformObject, PolicyCheck, PolicyViolation } from "../../sdk/index.ts";
import type { CueEngine } from "../engine.ts";
import type { JsonValue } from "../protocol.ts";
import { componentSource, evaluate } from "../transformers/transformer.ts";
import type { CueValue } from "../value.ts";

interface CueViolation {
  readonly message: string;
  readonly object?: { readonly kind: string; readonly name: string };
  readonly field?: string;
  readonly hint?: string;
}

/** Where a module's `#config` is and the values a policy was read with. */
export interface PolicyValues {
  readonly config: string;
  readonly values: JsonValue;
}

/**
 * The check of the rule at `path` (a `#check` value) inside `module`. A rule that only a value
 * brings into the policy (`if #config.strict { ... }`) is found in the module with `#config`
 * filled with `withValues`.
 */
export function cuePolicyCheck(
  engine: CueEngine,
  module: CueValue,
  path: string,
  withValues?: PolicyValues,
): PolicyCheck {
  return async ({ component, objects, spec }) => {
    let filled: CueValue | undefined;
    let check = await engine.lookup(module, path);
    if (check === undefined && withValues !== undefined) {
      filled = await engine.fill(module, withValues.config, { json: withValues.values });
      check = await engine.lookup(filled, path);
    }
    if (check === undefined) {
      if (filled !== undefined) await engine.release(filled);
      throw new Error(`${path} is not in the module`);
    }
    try {
      const input = `#input: {\n\tcomponent: ${componentSource(component)}\n\tobjects: ${JSON.stringify(objects)}\n\tspec: ${JSON.stringify(spec ?? {})}\n}\n`;
      const found = ((await evaluate(engine, check, input, "violations", true)) ??
        []) as readonly CueViolation[];
      return found.map((v): PolicyViolation => {
        const object = v.object === undefined ? undefined : objectNamed(objects, v.object);
        return {
          message: v.message,
          ...(object === undefined ? {} : { object }),
          ...(v.field === undefined ? {} : { field: v.field }),
          ...(v.hint === undefined ? {} : { hint: v.hint }),
        };
      });
    } finally {
      await engine.release(check, ...(filled === undefined ? [] : [filled]));
    }
  };
}

function objectNamed(
  objects: readonly PlatformObject[],
  ref: { kind: string; name: string },
): PlatformObject {
  return (
    objects.find((o) => o.kind === ref.kind && o.metadata?.name === ref.name) ?? {
      apiVersion: "",
      kind: ref.kind,
      metadata: { name: ref.name },
    }
  );
}
