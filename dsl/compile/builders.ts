// Recognises the builder calls of module code and turns them into CUE mixins. A catalog builder
// such as `Container` is found by following its symbol to its declaration,
// `const Container = partBuilder(ContainerResource)`, and from there to the definition's
// `metadata` (apiVersion and name): the apiVersion is the CUE package path, the builder's name
// is the mixin's name (the generated bindings are named after the CUE mixins), and the spec key
// is the camel-cased name. So any definition built with the dsl is compiled the same way,
// without the compiler importing the catalog.
import { Node, type CallExpression } from "ts-morph";
import { LabelKeys, kebabToPascal, specKeyOf } from "../../sdk/index.ts";
import { policyStruct } from "./policies.ts";
import { lit, ref, struct, type CueExpr, type StructDecl } from "./cue-expr.ts";
import { isCueExpr, type Env, type Evaluator } from "./evaluate.ts";
import { addField } from "./struct-ops.ts";
import type { ImportSet } from "./imports.ts";
import { UnsupportedConstruct } from "./issues.ts";

/** What one builder call adds to a component: mixins to embed, spec entries and labels. */
export interface ComponentPart {
  readonly t: "part";
  readonly mixins: readonly string[];
  readonly spec: readonly { readonly key: string; readonly value: CueExpr }[];
  readonly labels: readonly StructDecl[];
}

export type Builder =
  | { readonly kind: "component" | "workloadType" | "defineModule" | "policy" }
  | { readonly kind: "rule" }
  | { readonly kind: "mixin"; readonly importPath: string; readonly mixin: string; readonly specKey: string };

const WORKLOAD_TYPE_LABEL = LabelKeys.workloadType;
const DEFINE_FUNCTIONS = new Set(["defineResource", "defineTrait", "defineBlueprint", "definePolicyRule"]);
const DSL_FUNCTIONS = new Set(["component", "workloadType", "defineModule", "policy", "rule"]);

function stringProperty(object: Node, name: string): string | undefined {
  if (!Node.isObjectLiteralExpression(object)) return undefined;
  const property = object.getProperty(name);
  if (!Node.isPropertyAssignment(property)) return undefined;
  const value = property.getInitializer();
  return Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value)
    ? value.getLiteralValue()
    : undefined;
}

/** Whether `node` is declared in the dsl (this repository's sources or an installed `@opm/sdk`). */
export function isDslFile(node: Node): boolean {
  const path = node.getSourceFile().getFilePath();
  return /\/dsl\/[^/]+\.(ts|d\.ts|js)$/.test(path) || path.includes("/@opm/sdk/");
}

/**
 * Where a constant gets its value. Declared in a `.d.ts` (an installed `@opm/sdk`, whose catalog
 * builders the compiler sees through their types), it has no initializer to read the definition
 * from; the compiled `.js` beside it, which the package ships, has. In this repository the
 * `@opm/source` condition leads to the `.ts` sources instead.
 */
function implementationOf(declaration: Node | undefined): Node | undefined {
  if (!Node.isVariableDeclaration(declaration) || declaration.hasInitializer()) return declaration;
  const file = declaration.getSourceFile();
  if (!file.isDeclarationFile()) return declaration;
  const jsPath = file.getFilePath().replace(/\.d\.ts$/, ".js");
  const project = file.getProject();
  const js = project.getSourceFile(jsPath) ?? project.addSourceFileAtPathIfExists(jsPath);
  return js?.getVariableDeclaration(declaration.getName()) ?? declaration;
}

export class BuilderResolver {
  private readonly cache = new Map<Node, Builder | undefined>();

  private readonly imports: ImportSet;

  constructor(imports: ImportSet) {
    this.imports = imports;
  }

  /** The declaration an identifier refers to, through imports and re-exports. */
  declarationOf(identifier: Node): Node | undefined {
    const parent = identifier.getParent();
    // `{ config }`: the name is the property; the value is the variable of the same name.
    const symbol =
      Node.isShorthandPropertyAssignment(parent) && parent.getNameNode() === identifier
        ? parent.getValueSymbol()
        : identifier.getSymbol();
    if (symbol === undefined) return undefined;
    const target = symbol.isAlias() ? (symbol.getAliasedSymbol() ?? symbol) : symbol;
    return implementationOf(target.getValueDeclaration() ?? target.getDeclarations()[0]);
  }

  builderOf(identifier: Node): Builder | undefined {
    const declaration = this.declarationOf(identifier);
    if (declaration === undefined) return undefined;
    if (this.cache.has(declaration)) return this.cache.get(declaration);
    const builder = this.classify(declaration);
    this.cache.set(declaration, builder);
    return builder;
  }

  private classify(declaration: Node): Builder | undefined {
    if (Node.isFunctionDeclaration(declaration) && isDslFile(declaration)) {
      const name = declaration.getName() ?? "";
      if (DSL_FUNCTIONS.has(name))
        return { kind: name as "component" | "workloadType" | "defineModule" | "policy" };
    }
    if (!Node.isVariableDeclaration(declaration)) return undefined;
    const initializer = declaration.getInitializer();
    if (!Node.isCallExpression(initializer) || initializer.getExpression().getText() !== "partBuilder") {
      return undefined;
    }
    const metadata = this.definitionMetadata(initializer.getArguments()[0], 0);
    if (metadata === undefined) return undefined;
    const { apiVersion, name } = metadata;
    return {
      kind: "mixin",
      importPath: apiVersion,
      mixin: `#${declaration.getName()}`,
      specKey: specKeyOf(name),
    };
  }

  /**
   * The apiVersion and name of the definition a `partBuilder` wraps: read from its
   * `defineResource|Trait|Blueprint({ metadata })`, following constants and `{ ...spread }`
   * copies (a hand-written definition that extends a generated one).
   */
  private definitionMetadata(
    node: Node | undefined,
    depth: number,
  ): { apiVersion: string; name: string } | undefined {
    if (node === undefined || depth > 8) return undefined;
    if (Node.isIdentifier(node)) {
      const declaration = this.declarationOf(node);
      return Node.isVariableDeclaration(declaration)
        ? this.definitionMetadata(declaration.getInitializer(), depth + 1)
        : undefined;
    }
    if (Node.isCallExpression(node)) {
      const init = node.getArguments().find((a) => Node.isObjectLiteralExpression(a));
      if (DEFINE_FUNCTIONS.has(node.getExpression().getText())) {
        const metadata = Node.isObjectLiteralExpression(init) ? init.getProperty("metadata") : undefined;
        const object = Node.isPropertyAssignment(metadata) ? metadata.getInitializer() : undefined;
        const apiVersion = object === undefined ? undefined : stringProperty(object, "apiVersion");
        const name = object === undefined ? undefined : stringProperty(object, "name");
        return apiVersion === undefined || name === undefined ? undefined : { apiVersion, name };
      }
      return this.definitionMetadata(init, depth + 1);
    }
    if (Node.isObjectLiteralExpression(node)) {
      for (const property of node.getProperties()) {
        if (Node.isSpreadAssignment(property)) {
          const found = this.definitionMetadata(property.getExpression(), depth + 1);
          if (found !== undefined) return found;
        }
      }
    }
    return undefined;
  }

  /** Evaluates a call to a builder; undefined when the callee is not one. */
  call(evaluator: Evaluator, call: CallExpression, env: Env): ComponentPart | CueExpr | undefined {
    const callee = call.getExpression();
    if (!Node.isIdentifier(callee) || env.lookup(callee.getText()) !== undefined) return undefined;
    const builder = this.builderOf(callee);
    if (builder === undefined) return undefined;
    const args = call.getArguments();
    switch (builder.kind) {
      case "mixin": {
        const spec = args[0];
        if (spec === undefined) throw new UnsupportedConstruct(call, `${callee.getText()}() needs its spec`);
        const alias = this.imports.use(builder.importPath);
        return {
          t: "part",
          mixins: [`${alias}.${builder.mixin}`],
          spec: [{ key: builder.specKey, value: evaluator.expr(spec, env) }],
          labels: [],
        };
      }
      case "workloadType": {
        const type = args[0] === undefined ? lit(null) : evaluator.expr(args[0], env);
        return {
          t: "part",
          mixins: [],
          spec: [],
          labels: [{ d: "field", key: WORKLOAD_TYPE_LABEL, value: type }],
        };
      }
      case "component":
        return this.component(evaluator, call, env);
      case "rule":
        return this.rule(evaluator, call, env);
      case "policy":
        return policyStruct(evaluator, call, env);
      case "defineModule":
        throw new UnsupportedConstruct(call, "defineModule inside a module is not supported");
    }
  }

  /**
   * `rule(NetworkRulesPolicyRule, spec)`: the rule's policy mixin is named after the rule
   * (`#NetworkRules`), as the catalog names it.
   */
  private rule(evaluator: Evaluator, call: CallExpression, env: Env): ComponentPart {
    const [definition, spec] = call.getArguments();
    const metadata = this.definitionMetadata(definition, 0);
    if (metadata === undefined || spec === undefined) {
      throw new UnsupportedConstruct(
        call,
        "rule(...) needs a policy rule defined with definePolicyRule and its spec",
      );
    }
    const alias = this.imports.use(metadata.apiVersion);
    return {
      t: "part",
      mixins: [`${alias}.#${kebabToPascal(metadata.name)}`],
      spec: [{ key: specKeyOf(metadata.name), value: evaluator.expr(spec, env) }],
      labels: [],
    };
  }

  /** `component(metadata?, ...parts)`: the mixins embedded, then metadata, then one spec. */
  private component(evaluator: Evaluator, call: CallExpression, env: Env): CueExpr {
    const mixins: string[] = [];
    const labels: StructDecl[] = [];
    const spec: StructDecl[] = [];
    let metadata: StructDecl[] = [];
    call.getArguments().forEach((arg, index) => {
      try {
        const value = evaluator.evaluate(arg, env);
        if (value.t === "part") {
          for (const mixin of value.mixins) if (!mixins.includes(mixin)) mixins.push(mixin);
          for (const entry of value.spec) addField(spec, entry.key, entry.value);
          labels.push(...value.labels);
        } else if (index === 0 && isCueExpr(value) && value.t === "struct") {
          metadata = [...value.decls];
        } else {
          throw new UnsupportedConstruct(
            arg,
            "a component argument must be a builder call such as Container({...})",
          );
        }
      } catch (error) {
        evaluator.recover(error);
      }
    });
    const metadataLabels = metadata.find((d) => d.d === "field" && d.key === "labels");
    const otherMetadata = metadata.filter((d) => d !== metadataLabels);
    const allLabels = [
      ...(metadataLabels?.d === "field" && metadataLabels.value.t === "struct"
        ? metadataLabels.value.decls
        : []),
      ...labels,
    ];
    const metadataDecls: StructDecl[] = [...otherMetadata];
    if (allLabels.length > 0) metadataDecls.push({ d: "field", key: "labels", value: struct(allLabels) });
    const decls: StructDecl[] = mixins.map((mixin) => ({ d: "embed", value: ref(mixin) }));
    if (metadataDecls.length > 0) decls.push({ d: "field", key: "metadata", value: struct(metadataDecls) });
    if (spec.length > 0) decls.push({ d: "field", key: "spec", value: struct(spec) });
    return struct(decls);
  }
}
