// Calls in module code: builder calls (catalog mixins, `component`, `workloadType`), local
// helper functions (inlined at each call, so their result is plain CUE), and the handful of
// library calls that have a CUE counterpart: `Object.entries/keys/values(...).map(...)` and
// `array.map(...)` become comprehensions, `Object.fromEntries` a struct, `.join` strings.Join,
// `Buffer.from(s).toString("base64")` base64.Encode. Every other call is a positioned error.
import { Node, type CallExpression } from "ts-morph";
import { lit, ref, struct, type CueExpr, type ListItem, type StructDecl } from "./cue-expr.ts";
import { calleeName } from "./describe.ts";
import {
  describeValue,
  isCueExpr,
  type EntriesValue,
  type Env,
  type Evaluator,
  type FunctionValue,
  type Value,
} from "./evaluate.ts";
import { inline } from "./inline.ts";
import { fieldDecls, interpolation } from "./struct-ops.ts";
import { UnsupportedConstruct } from "./issues.ts";

const STRING_FUNCTIONS: Readonly<Record<string, string>> = {
  toUpperCase: "strings.ToUpper",
  toLowerCase: "strings.ToLower",
  trim: "strings.TrimSpace",
};

function unsupported(call: CallExpression): UnsupportedConstruct {
  return new UnsupportedConstruct(
    call,
    `a call to ${calleeName(call.getExpression())} is not supported in module code`,
  );
}

export function evaluateCall(evaluator: Evaluator, call: CallExpression, env: Env): Value {
  const built = evaluator.builders.call(evaluator, call, env);
  if (built !== undefined) return built;
  const callee = call.getExpression();
  const args = call.getArguments();
  if (Node.isPropertyAccessExpression(callee)) {
    const target = callee.getExpression();
    const method = callee.getName();
    if (Node.isIdentifier(target) && target.getText() === "Object" && env.lookup("Object") === undefined) {
      return objectFunction(evaluator, call, method, env);
    }
    if (method === "toString" && isBufferFrom(target)) {
      const encoding = args[0] === undefined ? undefined : evaluator.expr(args[0], env);
      if (encoding?.t !== "lit" || encoding.value !== "base64") throw unsupported(call);
      const source = evaluator.expr((target as CallExpression).getArguments()[0]!, env);
      return {
        t: "call",
        fn: `${evaluator.imports.use("encoding/base64")}.Encode`,
        args: [lit(null), source],
      };
    }
    if (
      Node.isIdentifier(target) &&
      ["Math", "JSON", "Date", "Buffer", "Number", "process"].includes(target.getText())
    ) {
      throw unsupported(call);
    }
    const receiver = evaluator.evaluate(target, env);
    if (method === "map") return mapCall(evaluator, call, receiver, env);
    if (method === "filter") return filterCall(evaluator, call, receiver, env);
    return methodCall(evaluator, call, receiver, method, env);
  }
  if (Node.isIdentifier(callee) && callee.getText() === "String" && env.lookup("String") === undefined) {
    return interpolation([args[0] === undefined ? lit("") : evaluator.expr(args[0], env)]);
  }
  let fn: Value;
  try {
    fn = evaluator.evaluate(callee, env);
  } catch (error) {
    if (error instanceof UnsupportedConstruct && error.node === callee) throw unsupported(call);
    throw error;
  }
  if (fn.t !== "fn") throw unsupported(call);
  return inline(
    evaluator,
    call,
    fn,
    args.map((a) => evaluator.evaluate(a, env)),
  );
}

function isBufferFrom(node: Node): boolean {
  return (
    Node.isCallExpression(node) &&
    node.getExpression().getText() === "Buffer.from" &&
    node.getArguments().length >= 1
  );
}

function objectFunction(evaluator: Evaluator, call: CallExpression, name: string, env: Env): Value {
  const arg = call.getArguments()[0];
  if (arg === undefined) throw unsupported(call);
  if (name === "entries" || name === "keys" || name === "values") {
    return { t: "entries", of: evaluator.expr(arg, env), mode: name };
  }
  if (name === "fromEntries") return struct(structFromEntries(call, evaluator.evaluate(arg, env)));
  throw unsupported(call);
}

/** The struct `Object.fromEntries` builds: each `[key, value]` pair a field, each loop a comprehension. */
function structFromEntries(call: Node, entries: Value): StructDecl[] {
  if (!isCueExpr(entries) || entries.t !== "list") {
    throw new UnsupportedConstruct(
      call,
      "Object.fromEntries needs an array of [key, value] pairs written in the module",
    );
  }
  const decls: StructDecl[] = [];
  const fromItems = (items: readonly (ListItem | StructDecl)[]): StructDecl[] =>
    items.flatMap((item): StructDecl[] => {
      if (item.d === "embed") {
        const pair = item.value;
        if (pair.t !== "list" || pair.items.length !== 2 || pair.items.some((p) => p.d !== "embed")) {
          throw new UnsupportedConstruct(
            call,
            "each entry given to Object.fromEntries must be a [key, value] pair",
          );
        }
        const [key, value] = pair.items.map((p) => (p as { value: CueExpr }).value) as [CueExpr, CueExpr];
        return fieldDecls(key.t === "lit" ? String(key.value) : key, value);
      }
      if (item.d === "for" || item.d === "if") return [{ ...item, body: fromItems(item.body) }];
      throw new UnsupportedConstruct(call, "Object.fromEntries needs [key, value] pairs");
    });
  decls.push(...fromItems(entries.items));
  return decls;
}

function callback(evaluator: Evaluator, call: CallExpression, env: Env): FunctionValue {
  const arg = call.getArguments()[0];
  const fn = arg === undefined ? undefined : evaluator.evaluate(arg, env);
  if (fn?.t !== "fn")
    throw new UnsupportedConstruct(call, "the callback must be a function written in the module");
  return fn;
}

/**
 * The names a callback's parameters suggest for comprehension variables: `([name, library]) =>`
 * gives `name` and `library`; `(item, i) =>` gives `item` and `i`; otherwise the fallbacks.
 */
function parameterNames(fn: FunctionValue, fallback: readonly string[], tuple: boolean): string[] {
  const node = fn.node;
  const parameters =
    Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isFunctionDeclaration(node)
      ? node.getParameters()
      : [];
  const first = parameters[0]?.getNameNode();
  if (tuple) {
    const elements = Node.isArrayBindingPattern(first) ? first.getElements() : [];
    return fallback.map((name, i) => {
      const element = elements[i];
      return Node.isBindingElement(element) ? element.getName() : name;
    });
  }
  const names = parameters
    .map((p) => p.getNameNode())
    .map((n) => (Node.isIdentifier(n) ? n.getText() : undefined));
  return fallback.map((name, i) => names[i] ?? name);
}

function elementBody(result: CueExpr): StructDecl[] {
  return result.t === "struct" ? [...result.decls] : [{ d: "embed", value: result }];
}

/** `.map(fn)`: unrolled over a literal, a comprehension over anything that depends on config. */
function mapCall(evaluator: Evaluator, call: CallExpression, receiver: Value, env: Env): CueExpr {
  const fn = callback(evaluator, call, env);
  const apply = (...args: Value[]): CueExpr => {
    const result = inline(evaluator, call, fn, args);
    if (!isCueExpr(result))
      throw new UnsupportedConstruct(call, `.map must return data, not ${describeValue(result)}`);
    return result;
  };
  if (receiver.t === "entries") {
    const fallback =
      receiver.mode === "entries" ? ["key", "value"] : receiver.mode === "keys" ? ["key"] : ["value"];
    const names = parameterNames(fn, fallback, receiver.mode === "entries");
    return mapEntries(evaluator, receiver, names, (arg) => apply(arg));
  }
  if (!isCueExpr(receiver))
    throw new UnsupportedConstruct(call, `.map on ${describeValue(receiver)} is not supported`);
  if (receiver.t === "list" && receiver.items.every((i) => i.d === "embed")) {
    const items = receiver.items.map((item, i): ListItem => ({
      d: "embed",
      value: apply((item as { value: CueExpr }).value, lit(i)),
    }));
    return { t: "list", items };
  }
  const [valueName, indexName] = parameterNames(fn, ["item", "index"], false);
  const value = evaluator.freshVariable(valueName!);
  const index = evaluator.freshVariable(indexName!);
  const body = elementBody(apply(ref(value), ref(index)));
  return { t: "list", items: [{ d: "for", key: index, value, source: receiver, body }] };
}

/** `.filter(fn)` on a list: decided now where the predicate folds, else a guarded comprehension. */
function filterCall(evaluator: Evaluator, call: CallExpression, receiver: Value, env: Env): CueExpr {
  if (!isCueExpr(receiver) || (receiver.t !== "list" && receiver.t !== "ref")) {
    throw new UnsupportedConstruct(call, ".filter is supported on arrays only");
  }
  const fn = callback(evaluator, call, env);
  const test = (...args: Value[]): CueExpr => {
    const result = inline(evaluator, call, fn, args);
    if (!isCueExpr(result)) throw new UnsupportedConstruct(call, ".filter must return a condition");
    return result;
  };
  if (receiver.t === "list" && receiver.items.every((i) => i.d === "embed")) {
    const items = receiver.items.flatMap((item, i): ListItem[] => {
      const value = (item as { value: CueExpr }).value;
      const keep = test(value, lit(i));
      if (keep.t === "lit") return keep.value ? [item] : [];
      return [{ d: "if", test: keep, body: [{ d: "embed", value }] }];
    });
    return { t: "list", items };
  }
  const [valueName, indexName] = parameterNames(fn, ["item", "index"], false);
  const value = evaluator.freshVariable(valueName!);
  const index = evaluator.freshVariable(indexName!);
  const guard = test(ref(value), ref(index));
  return {
    t: "list",
    items: [
      { d: "for", key: index, value, source: receiver, guard, body: [{ d: "embed", value: ref(value) }] },
    ],
  };
}

/**
 * `Object.entries/keys/values(x).map(fn)`: unrolled over a literal struct, else a comprehension
 * whose variables are named after the callback's parameters (`_` for the one not used).
 */
function mapEntries(
  evaluator: Evaluator,
  entries: EntriesValue,
  names: readonly string[],
  apply: (arg: CueExpr) => CueExpr,
): CueExpr {
  const argumentFor = (key: CueExpr, value: CueExpr): CueExpr =>
    entries.mode === "keys"
      ? key
      : entries.mode === "values"
        ? value
        : {
            t: "list",
            items: [
              { d: "embed", value: key },
              { d: "embed", value },
            ],
          };
  const source = entries.of;
  if (source.t === "struct" && source.decls.every((d) => d.d === "field" && typeof d.key === "string")) {
    const items = source.decls.map((d): ListItem => {
      const field = d as { key: string; value: CueExpr };
      return { d: "embed", value: apply(argumentFor(lit(field.key), field.value)) };
    });
    return { t: "list", items };
  }
  const key = entries.mode === "values" ? "_" : evaluator.freshVariable(names[0] ?? "key");
  const value =
    entries.mode === "keys"
      ? "_"
      : evaluator.freshVariable((entries.mode === "values" ? names[0] : names[1]) ?? "value");
  const body = elementBody(apply(argumentFor(ref(key), ref(value))));
  return { t: "list", items: [{ d: "for", key, value, source, body }] };
}

/** `Object.entries(x)` used as a value: the list of pairs (or keys, or values). */
export function entriesList(evaluator: Evaluator, entries: EntriesValue): CueExpr {
  return mapEntries(evaluator, entries, [], (arg) => arg);
}

function methodCall(
  evaluator: Evaluator,
  call: CallExpression,
  receiver: Value,
  method: string,
  env: Env,
): CueExpr {
  if (!isCueExpr(receiver) || !(method in STRING_FUNCTIONS || method === "toString" || method === "join")) {
    throw unsupported(call);
  }
  const args = call.getArguments().map((a) => evaluator.expr(a, env));
  const fn = STRING_FUNCTIONS[method];
  if (fn !== undefined && args.length === 0) {
    if (receiver.t === "lit" && typeof receiver.value === "string") {
      const text = receiver.value;
      return lit(
        method === "toUpperCase"
          ? text.toUpperCase()
          : method === "toLowerCase"
            ? text.toLowerCase()
            : text.trim(),
      );
    }
    evaluator.imports.use("strings");
    return { t: "call", fn, args: [receiver] };
  }
  if (method === "toString" && args.length === 0) return interpolation([receiver]);
  if (method === "join") {
    const separator = args[0] ?? lit(",");
    const allLiteral =
      receiver.t === "list" && receiver.items.every((i) => i.d === "embed" && i.value.t === "lit");
    if (allLiteral && separator.t === "lit" && receiver.t === "list") {
      return lit(
        receiver.items
          .map((i) => String((i as { value: { value: unknown } }).value.value))
          .join(String(separator.value)),
      );
    }
    evaluator.imports.use("strings");
    return { t: "call", fn: "strings.Join", args: [receiver, separator] };
  }
  throw unsupported(call);
}
