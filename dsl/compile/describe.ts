// Names a TS construct for an error message: "a call to Math.max", "a `for` loop", ... so the
// author knows which expression to rewrite without reading compiler internals.
import { Node, SyntaxKind } from "ts-morph";

const KIND_NAMES: ReadonlyMap<SyntaxKind, string> = new Map([
  [SyntaxKind.NewExpression, "a `new` expression"],
  [SyntaxKind.AwaitExpression, "an `await` expression"],
  [SyntaxKind.ClassExpression, "a class expression"],
  [SyntaxKind.ClassDeclaration, "a class"],
  [SyntaxKind.ForStatement, "a `for` loop"],
  [SyntaxKind.ForOfStatement, "a `for...of` loop"],
  [SyntaxKind.ForInStatement, "a `for...in` loop"],
  [SyntaxKind.WhileStatement, "a `while` loop"],
  [SyntaxKind.DoStatement, "a `do` loop"],
  [SyntaxKind.IfStatement, "an `if` statement"],
  [SyntaxKind.SwitchStatement, "a `switch` statement"],
  [SyntaxKind.TryStatement, "a `try` statement"],
  [SyntaxKind.ThrowStatement, "a `throw` statement"],
  [SyntaxKind.ExpressionStatement, "an expression statement"],
  [SyntaxKind.TypeOfExpression, "a `typeof` expression"],
  [SyntaxKind.DeleteExpression, "a `delete` expression"],
  [SyntaxKind.PostfixUnaryExpression, "an increment or decrement"],
  [SyntaxKind.RegularExpressionLiteral, "a regular expression outside a zod schema"],
  [SyntaxKind.TaggedTemplateExpression, "a tagged template"],
  [SyntaxKind.MethodDeclaration, "a method"],
  [SyntaxKind.GetAccessor, "a getter"],
  [SyntaxKind.SetAccessor, "a setter"],
  [SyntaxKind.YieldExpression, "a `yield` expression"],
  [SyntaxKind.ThisKeyword, "`this`"],
  [SyntaxKind.BigIntLiteral, "a bigint"],
  [SyntaxKind.ArrowFunction, "a function"],
  [SyntaxKind.FunctionExpression, "a function"],
]);

/** The name of the function being called: `Math.max`, `config.args.filter`, `helper`. */
export function calleeName(callee: Node): string {
  if (Node.isPropertyAccessExpression(callee)) {
    const target = callee.getExpression();
    const text = target.getText().replace(/\s+/g, " ");
    const base = Node.isCallExpression(target)
      ? `${calleeName(target.getExpression())}(...)`
      : text.length <= 40
        ? text
        : "...";
    return `${base}.${callee.getName()}`;
  }
  if (Node.isIdentifier(callee)) return callee.getText();
  return "an expression";
}

export function describeNode(node: Node): string {
  if (Node.isCallExpression(node)) return `a call to ${calleeName(node.getExpression())}`;
  if (Node.isBinaryExpression(node)) return `the operator ${node.getOperatorToken().getText()}`;
  return KIND_NAMES.get(node.getKind()) ?? `a ${node.getKindName()}`;
}
