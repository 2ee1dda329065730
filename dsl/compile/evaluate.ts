// The core of the TS -> CUE compiler: a symbolic evaluator over module code. Values that are
// known at compile time fold to literals; values that depend on the config become CUE
// references to `#config`; object and array literals become structs and lists, and the few
// constructs with a CUE counterpart (template literals, conditionals, spreads, `.map`) become
// interpolations, `if` clauses, embeddings and comprehensions. Anything else is reported with
// its position and a name for the construct.
import { Node, SyntaxKind, type Expression } from "ts-morph";
import { entriesList, evaluateCall } from "./calls.ts";
import {
  addField,
  equality,
  foldNumbers,
  interpolation,
  listItemsOf,
  spreadInto,
  staticField,
} from "./struct-ops.ts";
import {
  lit,
  negate,
  ref,
  selectorOf,
  struct,
  UNDEFINED,
  type CueExpr,
  type ListItem,
  type StructDecl,
} from "./cue-expr.ts";
import type { ImportSet } from "./imports.ts";
import { describeNode } from "./describe.ts";
import { UnsupportedConstruct, type IssueSink } from "./issues.ts";
import type { BuilderResolver, ComponentPart } from "./builders.ts";

/** A function the evaluator can inline at its call sites. */
export interface FunctionValue {
  readonly t: "fn";
  readonly node: Node;
  readonly env: Env;
}

/** `Object.entries(x)` (or keys/values) before `.map` turns it into a comprehension. */
export interface EntriesValue {
  readonly t: "entries";
  readonly of: CueExpr;
  readonly mode: "entries" | "keys" | "values";
}

export type Value = CueExpr | FunctionValue | EntriesValue | ComponentPart;

/** Lexical bindings: names to values, with the enclosing scope as parent. */
export class Env {
  private readonly names = new Map<string, Value>();
  private readonly parent: Env | undefined;

  constructor(parent?: Env) {
    this.parent = parent;
  }

  bind(name: string, value: Value): void {
    this.names.set(name, value);
  }

  lookup(name: string): Value | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }
}

export function isCueExpr(value: Value): value is CueExpr {
  return value.t !== "fn" && value.t !== "entries" && value.t !== "part";
}

export class Evaluator {
  private readonly varCounts = new Map<string, number>();
  private readonly declarationCache = new Map<Node, Value>();
  /**
   * Struct and list constants of function bodies, by value: read with a computed key, they are
   * emitted once as a CUE `let` in the function's result instead of repeated at each read.
   */
  readonly letCandidates = new Map<CueExpr, { readonly name: string; used: boolean }>();
  /** Off while re-evaluating a body whose result cannot hold a `let` (not a struct). */
  lettingEnabled = true;
  depth = 0;

  readonly sink: IssueSink;
  readonly imports: ImportSet;
  readonly builders: BuilderResolver;

  constructor(sink: IssueSink, imports: ImportSet, builders: BuilderResolver) {
    this.sink = sink;
    this.imports = imports;
    this.builders = builders;
  }

  /** A comprehension variable: hidden (`_name`) so no spec field can capture it, and unique. */
  freshVariable(name: string): string {
    const count = (this.varCounts.get(name) ?? 0) + 1;
    this.varCounts.set(name, count);
    return count === 1 ? `_${name}` : `_${name}_${count}`;
  }

  /** Evaluates to plain CUE: a function or builder part here is a mistake in module code. */
  expr(node: Node, env: Env): CueExpr {
    const value = this.evaluate(node, env);
    if (isCueExpr(value)) return value;
    if (value.t === "entries") return entriesList(this, value);
    throw new UnsupportedConstruct(node, `${describeNode(node)} cannot be used as a value in module code`);
  }

  evaluate(node: Node, env: Env): Value {
    if (
      Node.isParenthesizedExpression(node) ||
      Node.isNonNullExpression(node) ||
      Node.isAsExpression(node) ||
      Node.isSatisfiesExpression(node) ||
      Node.isTypeAssertion(node)
    ) {
      return this.evaluate(node.getExpression(), env);
    }
    if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) {
      return lit(node.getLiteralValue());
    }
    if (Node.isNumericLiteral(node)) return lit(node.getLiteralValue());
    if (Node.isTrueLiteral(node)) return lit(true);
    if (Node.isFalseLiteral(node)) return lit(false);
    if (Node.isNullLiteral(node)) return lit(null);
    if (Node.isIdentifier(node)) return this.identifier(node, env);
    if (Node.isTemplateExpression(node)) return this.template(node, env);
    if (Node.isObjectLiteralExpression(node)) return struct(this.objectDecls(node, env));
    if (Node.isArrayLiteralExpression(node)) return this.array(node, env);
    if (Node.isPropertyAccessExpression(node)) {
      if (node.hasQuestionDotToken()) {
        throw new UnsupportedConstruct(node, "optional chaining (`?.`) is not supported in module code");
      }
      return this.access(node, this.evaluate(node.getExpression(), env), lit(node.getName()));
    }
    if (Node.isElementAccessExpression(node)) {
      const key = node.getArgumentExpression();
      if (key === undefined) throw new UnsupportedConstruct(node, "an element access without a key");
      return this.access(node, this.evaluate(node.getExpression(), env), this.expr(key, env));
    }
    if (Node.isConditionalExpression(node)) {
      const test = this.expr(node.getCondition(), env);
      if (test.t === "lit") {
        return this.evaluate(test.value ? node.getWhenTrue() : node.getWhenFalse(), env);
      }
      return {
        t: "cond",
        test,
        then: this.expr(node.getWhenTrue(), env),
        else: this.expr(node.getWhenFalse(), env),
      };
    }
    if (Node.isBinaryExpression(node)) return this.binary(node, env);
    if (Node.isPrefixUnaryExpression(node)) return this.prefix(node, env);
    if (Node.isCallExpression(node)) return evaluateCall(this, node, env);
    if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) return { t: "fn", node, env };
    throw new UnsupportedConstruct(node, `${describeNode(node)} is not supported in module code`);
  }

  private identifier(node: Node & { getText(): string }, env: Env): Value {
    const name = node.getText();
    if (name === "undefined") return UNDEFINED;
    const bound = env.lookup(name);
    if (bound !== undefined) return bound;
    const declaration = this.builders.declarationOf(node);
    // Only the module's own file is compiled: library code (the dsl, the catalog, helpers in
    // other files) is reached through builders, never inlined.
    if (declaration !== undefined && declaration.getSourceFile() === node.getSourceFile()) {
      if (Node.isFunctionDeclaration(declaration)) return { t: "fn", node: declaration, env: new Env() };
      if (Node.isVariableDeclaration(declaration)) {
        const initializer = declaration.getInitializer();
        const isConst = declaration.getVariableStatement()?.getDeclarationKind() === "const";
        if (initializer !== undefined && isConst) return this.declared(declaration, initializer);
      }
    }
    throw new UnsupportedConstruct(
      node,
      `${name} is not a constant, function or config value the compiler can read`,
    );
  }

  /** A top-level constant, evaluated once in the module's root scope. */
  private declared(declaration: Node, initializer: Expression): Value {
    const cached = this.declarationCache.get(declaration);
    if (cached !== undefined) return cached;
    const value = this.evaluate(initializer, new Env());
    this.declarationCache.set(declaration, value);
    return value;
  }

  private template(node: Node, env: Env): CueExpr {
    if (!Node.isTemplateExpression(node)) throw new UnsupportedConstruct(node, "a template");
    const parts: (string | CueExpr)[] = [node.getHead().getLiteralText()];
    for (const span of node.getTemplateSpans()) {
      parts.push(this.expr(span.getExpression(), env));
      parts.push(span.getLiteral().getLiteralText());
    }
    return interpolation(parts);
  }

  /** The declarations of an object literal; each property's problem is reported on its own. */
  objectDecls(node: Node, env: Env): StructDecl[] {
    if (!Node.isObjectLiteralExpression(node)) return [];
    const decls: StructDecl[] = [];
    for (const property of node.getProperties()) {
      try {
        if (Node.isPropertyAssignment(property)) {
          const key = this.propertyKey(property.getNameNode(), env);
          addField(decls, key, this.expr(property.getInitializerOrThrow(), env));
        } else if (Node.isShorthandPropertyAssignment(property)) {
          addField(decls, property.getName(), this.expr(property.getNameNode(), env));
        } else if (Node.isSpreadAssignment(property)) {
          spreadInto(decls, this.expr(property.getExpression(), env));
        } else {
          throw new UnsupportedConstruct(
            property,
            `${describeNode(property)} is not supported in module code`,
          );
        }
      } catch (error) {
        this.recover(error);
      }
    }
    return decls;
  }

  /** Records an unsupported construct and lets compilation go on, so every problem is reported. */
  recover(error: unknown): void {
    if (!(error instanceof UnsupportedConstruct)) throw error;
    this.sink.report(error.node, error.message, error.problem);
  }

  private propertyKey(name: Node, env: Env): string | CueExpr {
    if (Node.isIdentifier(name)) return name.getText();
    if (Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name))
      return name.getLiteralValue();
    if (Node.isNumericLiteral(name)) return String(name.getLiteralValue());
    if (Node.isComputedPropertyName(name)) {
      const key = this.expr(name.getExpression(), env);
      return key.t === "lit" ? String(key.value) : key;
    }
    throw new UnsupportedConstruct(name, `${describeNode(name)} as a property name is not supported`);
  }

  private array(node: Node, env: Env): CueExpr {
    if (!Node.isArrayLiteralExpression(node)) throw new UnsupportedConstruct(node, "an array");
    const items: ListItem[] = [];
    for (const element of node.getElements()) {
      if (Node.isSpreadElement(element)) {
        const spread = this.expr(element.getExpression(), env);
        if (spread.t === "list") items.push(...spread.items);
        else if (spread.t === "cond") {
          items.push({ d: "if", test: spread.test, body: [{ d: "embed", value: spread.then }] });
          items.push({ d: "if", test: negate(spread.test), body: [{ d: "embed", value: spread.else }] });
        } else {
          const item = this.freshVariable("item");
          items.push({
            d: "for",
            key: undefined,
            value: item,
            source: spread,
            body: [{ d: "embed", value: ref(item) }],
          });
        }
      } else if (Node.isOmittedExpression(element)) {
        throw new UnsupportedConstruct(element, "an array hole is not supported in module code");
      } else {
        const value = this.expr(element, env);
        if (value.t === "undefined") throw new UnsupportedConstruct(element, "undefined as a list element");
        items.push(...listItemsOf(value));
      }
    }
    return { t: "list", items };
  }

  /** `target.key` / `target[key]`: resolved now when the target is a literal, else a selector. */
  access(node: Node, target: Value, key: CueExpr): Value {
    if (!isCueExpr(target)) {
      throw new UnsupportedConstruct(
        node,
        `a property of ${describeValue(target)} cannot be read in module code`,
      );
    }
    if (key.t === "lit" && key.value === "length") {
      if (target.t === "lit" && typeof target.value === "string") return lit(target.value.length);
      if (target.t === "list" && target.items.every((i) => i.d === "embed")) return lit(target.items.length);
      return { t: "call", fn: "len", args: [target] };
    }
    if (target.t === "undefined" || (target.t === "lit" && target.value === null)) {
      throw new UnsupportedConstruct(node, "reading a property of undefined or null");
    }
    if (target.t === "ref" && key.t === "lit" && typeof key.value === "string") {
      return ref(`${target.text}.${selectorOf(key.value)}`);
    }
    if (target.t === "struct" && key.t === "lit") {
      const found = staticField(target.decls, String(key.value));
      if (found !== undefined) return found;
      if (target.decls.every((d) => d.d === "field" && typeof d.key === "string")) return UNDEFINED;
    }
    if (target.t === "list" && key.t === "lit" && typeof key.value === "number") {
      const item = target.items[key.value];
      if (target.items.every((i) => i.d === "embed")) return item?.d === "embed" ? item.value : UNDEFINED;
    }
    const candidate = this.letCandidates.get(target);
    if (candidate !== undefined) {
      candidate.used = true;
      return { t: "index", target: ref(candidate.name), key };
    }
    return { t: "index", target, key };
  }

  private binary(node: Node, env: Env): CueExpr {
    if (!Node.isBinaryExpression(node)) throw new UnsupportedConstruct(node, "a binary expression");
    const operator = node.getOperatorToken().getKind();
    const left = this.expr(node.getLeft(), env);
    if (operator === SyntaxKind.AmpersandAmpersandToken || operator === SyntaxKind.BarBarToken) {
      const isAnd = operator === SyntaxKind.AmpersandAmpersandToken;
      if (left.t === "lit") return Boolean(left.value) === isAnd ? this.expr(node.getRight(), env) : left;
      return { t: "binary", op: isAnd ? "&&" : "||", left, right: this.expr(node.getRight(), env) };
    }
    if (operator === SyntaxKind.QuestionQuestionToken) {
      if (left.t === "undefined" || (left.t === "lit" && left.value === null))
        return this.expr(node.getRight(), env);
      if (left.t === "lit" || left.t === "struct" || left.t === "list" || left.t === "interp") return left;
      const test: CueExpr = { t: "binary", op: "!=", left, right: ref("_|_") };
      return { t: "cond", test, then: left, else: this.expr(node.getRight(), env) };
    }
    const right = this.expr(node.getRight(), env);
    const op = BINARY_OPERATORS.get(operator);
    if (op === undefined) {
      throw new UnsupportedConstruct(
        node,
        `the operator ${node.getOperatorToken().getText()} is not supported in module code`,
      );
    }
    if (op === "==" || op === "!=") return equality(op, left, right);
    if (op === "+" && (isStringTyped(node.getLeft(), left) || isStringTyped(node.getRight(), right))) {
      return interpolation([left, right]);
    }
    if (
      left.t === "lit" &&
      right.t === "lit" &&
      typeof left.value === "number" &&
      typeof right.value === "number"
    ) {
      return lit(foldNumbers(op, left.value, right.value));
    }
    return { t: "binary", op, left, right };
  }

  private prefix(node: Node, env: Env): CueExpr {
    if (!Node.isPrefixUnaryExpression(node)) throw new UnsupportedConstruct(node, "a prefix expression");
    const operand = this.expr(node.getOperand(), env);
    switch (node.getOperatorToken()) {
      case SyntaxKind.ExclamationToken:
        return operand.t === "lit" ? lit(!operand.value) : negate(operand);
      case SyntaxKind.MinusToken:
        return operand.t === "lit" && typeof operand.value === "number"
          ? lit(-operand.value)
          : { t: "unary", op: "-", operand };
      default:
        throw new UnsupportedConstruct(
          node,
          `the prefix operator in ${node.getText()} is not supported in module code`,
        );
    }
  }
}

const BINARY_OPERATORS = new Map<SyntaxKind, string>([
  [SyntaxKind.EqualsEqualsEqualsToken, "=="],
  [SyntaxKind.EqualsEqualsToken, "=="],
  [SyntaxKind.ExclamationEqualsEqualsToken, "!="],
  [SyntaxKind.ExclamationEqualsToken, "!="],
  [SyntaxKind.PlusToken, "+"],
  [SyntaxKind.MinusToken, "-"],
  [SyntaxKind.AsteriskToken, "*"],
  [SyntaxKind.LessThanToken, "<"],
  [SyntaxKind.LessThanEqualsToken, "<="],
  [SyntaxKind.GreaterThanToken, ">"],
  [SyntaxKind.GreaterThanEqualsToken, ">="],
]);

function isStringTyped(node: Node, value: CueExpr): boolean {
  if (value.t === "interp" || (value.t === "lit" && typeof value.value === "string")) return true;
  return node.getType().isString() || node.getType().isStringLiteral();
}

export function describeValue(value: Value): string {
  if (value.t === "fn") return "a function";
  if (value.t === "entries") return `Object.${value.mode}(...)`;
  if (value.t === "part") return "a component part";
  return "this value";
}
