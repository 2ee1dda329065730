// Policies: `policy({ appliesTo }, rule(Definition, spec), ...)` becomes a CUE `#Policy` built
// from the rules' policy mixins (`connectivity.#NetworkRules`), with `appliesTo.components`,
// which names components in TS, as references to the module's `#components` (CUE's `#Policy`
// holds the components themselves).
import type { CallExpression, Node } from "ts-morph";
import { ref, selectorOf, struct, type CueExpr, type ListItem, type StructDecl } from "./cue-expr.ts";
import { isCueExpr, type Env, type Evaluator } from "./evaluate.ts";
import { UnsupportedConstruct } from "./issues.ts";
import { addField } from "./struct-ops.ts";

function field(decls: readonly StructDecl[], key: string): CueExpr | undefined {
  const found = decls.find((d) => d.d === "field" && d.key === key);
  return found?.d === "field" ? found.value : undefined;
}

/** `appliesTo` with component names turned into `#components.<name>` references. */
function appliesTo(node: Node, value: CueExpr | undefined): CueExpr {
  if (value === undefined) return struct([]);
  if (value.t !== "struct") throw new UnsupportedConstruct(node, "appliesTo must be an object literal");
  const decls = value.decls.map((decl): StructDecl => {
    if (decl.d !== "field" || decl.key !== "components") return decl;
    if (decl.value.t !== "list")
      throw new UnsupportedConstruct(node, "appliesTo.components must be a list of names");
    const items = decl.value.items.map((item): ListItem => {
      if (item.d !== "embed" || item.value.t !== "lit" || typeof item.value.value !== "string") {
        throw new UnsupportedConstruct(
          node,
          "appliesTo.components must name components with string literals",
        );
      }
      return { d: "embed", value: ref(`#components.${selectorOf(item.value.value)}`) };
    });
    return { ...decl, value: { t: "list", items } };
  });
  return struct(decls);
}

export function policyStruct(evaluator: Evaluator, call: CallExpression, env: Env): CueExpr {
  const [initNode, ...ruleNodes] = call.getArguments();
  if (initNode === undefined) throw new UnsupportedConstruct(call, "policy(...) needs its appliesTo");
  const init = evaluator.expr(initNode, env);
  if (init.t !== "struct")
    throw new UnsupportedConstruct(initNode, "the first argument of policy(...) must be an object literal");
  const mixins: string[] = [];
  const spec: StructDecl[] = [];
  for (const node of ruleNodes) {
    const part = evaluator.evaluate(node, env);
    if (isCueExpr(part) || part.t !== "part")
      throw new UnsupportedConstruct(node, "a policy takes rules built with rule(...)");
    for (const mixin of part.mixins) if (!mixins.includes(mixin)) mixins.push(mixin);
    for (const entry of part.spec) addField(spec, entry.key, entry.value);
  }
  const metadata: StructDecl[] = [];
  for (const key of ["name", "labels", "annotations"]) {
    const value = field(init.decls, key);
    if (value !== undefined) metadata.push({ d: "field", key, value });
  }
  const decls: StructDecl[] = mixins.map((mixin) => ({ d: "embed", value: ref(mixin) }));
  if (metadata.length > 0) decls.push({ d: "field", key: "metadata", value: struct(metadata) });
  decls.push({ d: "field", key: "appliesTo", value: appliesTo(initNode, field(init.decls, "appliesTo")) });
  const onViolation = field(init.decls, "onViolation");
  if (onViolation !== undefined) decls.push({ d: "field", key: "onViolation", value: onViolation });
  if (spec.length > 0) decls.push({ d: "field", key: "spec", value: struct(spec) });
  return struct(decls);
}
