// Helper functions written in the module are not translated but inlined: each call evaluates
// the body with the parameters bound to the arguments (destructuring included), so the result
// is plain CUE. A body is \`const\` declarations and local functions, then one \`return\`.
import { Node } from "ts-morph";
import { lit, struct, type CueExpr, type StructDecl } from "./cue-expr.ts";
import { describeNode } from "./describe.ts";
import { Env, isCueExpr, type Evaluator, type FunctionValue, type Value } from "./evaluate.ts";
import { UnsupportedConstruct } from "./issues.ts";

const MAX_INLINE_DEPTH = 32;

/** Calls a helper by evaluating its body with the parameters bound to the arguments. */
export function inline(evaluator: Evaluator, call: Node, fn: FunctionValue, args: readonly Value[]): Value {
  const node = fn.node;
  if (!Node.isArrowFunction(node) && !Node.isFunctionExpression(node) && !Node.isFunctionDeclaration(node)) {
    throw new UnsupportedConstruct(call, "only functions written in the module can be called");
  }
  if (evaluator.depth >= MAX_INLINE_DEPTH) {
    throw new UnsupportedConstruct(call, "recursion is not supported in module code");
  }
  const env = new Env(fn.env);
  node.getParameters().forEach((parameter, i) => {
    let arg = args[i] ?? { t: "undefined" };
    const initializer = parameter.getInitializer();
    if (arg.t === "undefined" && initializer !== undefined) arg = evaluator.evaluate(initializer, env);
    bindName(evaluator, parameter.getNameNode(), arg, env);
  });
  evaluator.depth++;
  try {
    const body = node.getBody();
    if (body === undefined) throw new UnsupportedConstruct(node, "a function without a body");
    return Node.isBlock(body) ? evaluateBlock(evaluator, body, env) : evaluator.evaluate(body, env);
  } finally {
    evaluator.depth--;
  }
}

/** Binds a name or a destructuring pattern (`[key, value]`, `{ a, b }`) to a value. */
export function bindName(evaluator: Evaluator, name: Node, value: Value, env: Env): void {
  if (Node.isIdentifier(name)) {
    env.bind(name.getText(), value);
    return;
  }
  if (Node.isArrayBindingPattern(name)) {
    name.getElements().forEach((element, i) => {
      if (Node.isBindingElement(element)) {
        bindName(evaluator, element.getNameNode(), evaluator.access(element, value, lit(i)), env);
      }
    });
    return;
  }
  if (Node.isObjectBindingPattern(name)) {
    for (const element of name.getElements()) {
      const key = element.getPropertyNameNode()?.getText() ?? element.getName();
      bindName(evaluator, element.getNameNode(), evaluator.access(element, value, lit(key)), env);
    }
    return;
  }
  throw new UnsupportedConstruct(name, "this binding pattern is not supported in module code");
}

/** A function body: `const` declarations and local functions, then one `return`. */
export function evaluateBlock(evaluator: Evaluator, block: Node, env: Env): Value {
  if (!Node.isBlock(block)) return evaluator.evaluate(block, env);
  const lets: { readonly value: CueExpr; readonly entry: { readonly name: string; used: boolean } }[] = [];
  try {
    const result = evaluateStatements(evaluator, block, env, lets);
    const used = lets.filter((l) => l.entry.used);
    if (used.length === 0) return result;
    if (isCueExpr(result) && result.t === "struct") {
      const decls: StructDecl[] = used.map((l) => ({ d: "let", name: l.entry.name, value: l.value }));
      return struct([...decls, ...result.decls]);
    }
  } finally {
    for (const l of lets) evaluator.letCandidates.delete(l.value);
  }
  // The result cannot hold a `let`: evaluate again, repeating the constant where it is read.
  const enabled = evaluator.lettingEnabled;
  evaluator.lettingEnabled = false;
  try {
    return evaluateStatements(evaluator, block, new Env(env), []);
  } finally {
    evaluator.lettingEnabled = enabled;
  }
}

function evaluateStatements(
  evaluator: Evaluator,
  block: Node & { getStatements(): Node[] },
  env: Env,
  lets: { readonly value: CueExpr; readonly entry: { readonly name: string; used: boolean } }[],
): Value {
  for (const statement of block.getStatements()) {
    if (Node.isVariableStatement(statement)) {
      if (statement.getDeclarationKind() !== "const") {
        throw new UnsupportedConstruct(
          statement,
          `a \`${statement.getDeclarationKind()}\` declaration is not supported in module code; use const`,
        );
      }
      for (const declaration of statement.getDeclarations()) {
        const initializer = declaration.getInitializer();
        if (initializer === undefined) throw new UnsupportedConstruct(declaration, "a const without a value");
        const value = evaluator.evaluate(initializer, env);
        const name = declaration.getNameNode();
        if (
          evaluator.lettingEnabled &&
          Node.isIdentifier(name) &&
          isCueExpr(value) &&
          (value.t === "struct" || value.t === "list")
        ) {
          const entry = { name: evaluator.freshVariable(name.getText()), used: false };
          evaluator.letCandidates.set(value, entry);
          lets.push({ value, entry });
        }
        bindName(evaluator, name, value, env);
      }
    } else if (Node.isFunctionDeclaration(statement)) {
      const name = statement.getName();
      if (name !== undefined) env.bind(name, { t: "fn", node: statement, env });
    } else if (Node.isReturnStatement(statement)) {
      const expression = statement.getExpression();
      return expression === undefined ? { t: "undefined" } : evaluator.evaluate(expression, env);
    } else if (!Node.isTypeAliasDeclaration(statement) && !Node.isInterfaceDeclaration(statement)) {
      throw new UnsupportedConstruct(statement, `${describeNode(statement)} is not supported in module code`);
    }
  }
  return { t: "undefined" };
}
