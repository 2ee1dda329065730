// Helper functions written in the module are not translated but inlined: each call evaluates
// the body with the parameters bound to the arguments (destructuring included), so the result
// is plain CUE. A body is \`const\` declarations and local functions, then one \`return\`.
import { Node, type IfStatement } from "ts-morph";
import { lit, struct, type CueExpr, type StructDecl } from "./cue-expr.ts";
import { describeNode } from "./describe.ts";
import { Env, isCueExpr, type Evaluator, type FunctionValue, type Value } from "./evaluate.ts";
import { UnsupportedConstruct } from "./issues.ts";

const MAX_INLINE_DEPTH = 32;

interface LetCandidate {
  readonly value: CueExpr;
  readonly entry: { readonly name: string; used: boolean };
}

/** A body that ends without `return` gives undefined, as in JS. */
function bodyValue(value: Value | { readonly t: "no-return" }): Value {
  return value.t === "no-return" ? { t: "undefined" } : value;
}

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
  const lets: LetCandidate[] = [];
  try {
    const result = bodyValue(evaluateStatements(evaluator, block.getStatements(), env, lets));
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
    return bodyValue(evaluateStatements(evaluator, block.getStatements(), new Env(env), []));
  } finally {
    evaluator.lettingEnabled = enabled;
  }
}

/** What a statement list gives when control reaches its end without a `return`. */
const NO_RETURN = { t: "no-return" } as const;

function evaluateStatements(
  evaluator: Evaluator,
  statements: readonly Node[],
  env: Env,
  lets: LetCandidate[],
): Value | typeof NO_RETURN {
  for (const [index, statement] of statements.entries()) {
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
    } else if (Node.isIfStatement(statement)) {
      return earlyReturn(evaluator, statement, statements.slice(index + 1), env, lets);
    } else if (!Node.isTypeAliasDeclaration(statement) && !Node.isInterfaceDeclaration(statement)) {
      throw new UnsupportedConstruct(statement, `${describeNode(statement)} is not supported in module code`);
    }
  }
  return NO_RETURN;
}

/**
 * `if (c) return a;` (with an optional `else`) followed by the rest of the body is
 * `c ? a : <the rest>`, which becomes `if` fields where the result is used.
 */
function earlyReturn(
  evaluator: Evaluator,
  statement: IfStatement,
  rest: readonly Node[],
  env: Env,
  lets: LetCandidate[],
): Value {
  const branch = (node: Node | undefined, fallback: readonly Node[]): Value => {
    const statements = node === undefined ? fallback : Node.isBlock(node) ? node.getStatements() : [node];
    const value = evaluateStatements(evaluator, statements, new Env(env), lets);
    if (value.t === "no-return") {
      throw new UnsupportedConstruct(
        statement,
        "an `if` in module code must return in each branch (`if (c) return a;`)",
      );
    }
    return value;
  };
  const test = evaluator.expr(statement.getExpression(), env);
  const elseStatement = statement.getElseStatement();
  if (test.t === "lit") {
    return test.value ? branch(statement.getThenStatement(), []) : branch(elseStatement, rest);
  }
  const whenTrue = branch(statement.getThenStatement(), []);
  const whenFalse = branch(elseStatement, rest);
  if (!isCueExpr(whenTrue) || !isCueExpr(whenFalse)) {
    throw new UnsupportedConstruct(
      statement,
      "an `if` that returns functions or builder parts is not supported",
    );
  }
  return { t: "cond", test, then: whenTrue, else: whenFalse };
}
