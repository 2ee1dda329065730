// compileModuleToCue: reads a `*.opm.ts` module with ts-morph and emits a CUE module that
// embeds `core.#Module` from our catalog (`opmodel.dev/core@v0`): metadata, `#config` from the
// zod schema, `values`, and `#components` with every config-dependent field a reference to
// `#config`. The result is two files, `cue.mod/module.cue` and `module.cue`, formatted by the
// injected formatter (the CUE engine's; dsl does not depend on bridge).
import { Node, Project, ts, type SourceFile } from "ts-morph";
import { lit, printDecls, quote, ref, struct, type CueExpr, type StructDecl } from "./cue-expr.ts";
import { Env, Evaluator, isCueExpr } from "./evaluate.ts";
import { BuilderResolver } from "./builders.ts";
import { ImportSet } from "./imports.ts";
import { evaluateBlock } from "./inline.ts";
import { IssueSink, UnsupportedConstruct, type TsToCueIssue } from "./issues.ts";
import { ZodToCue } from "./zod-schema.ts";

/** How `compileModuleToCue` emits the CUE module; every field has a default. */
export interface CompileToCueOptions {
  /** Formats each emitted CUE file, e.g. `(source) => engine.format(source)`. @default none */
  readonly format?: (source: string) => Promise<string>;
  /** The ts-morph project a path is read into; share one to compile many modules faster. */
  readonly project?: Project;
  /** The CUE module path. @default the module's metadata.apiVersion */
  readonly modulePath?: string;
  /** The version required of each catalog module in cue.mod/module.cue. @default "v0.1.0" */
  readonly catalogVersion?: string;
  /** CUE language version of the emitted module. @default "v0.15.0" */
  readonly languageVersion?: string;
}

/** A TS module compiled to a CUE module, ready to write out. */
export interface CompiledCueModule {
  /** Discriminates success from {@link FailedCueCompilation}. */
  readonly ok: true;
  /** Emitted files by path relative to the module root. */
  readonly files: Readonly<Record<string, string>>;
  /** The CUE module path written in cue.mod/module.cue. */
  readonly modulePath: string;
  /** The CUE package of module.cue (the module name in snake case). */
  readonly packageName: string;
  /** Catalog modules the emitted module depends on. */
  readonly dependencies: readonly string[];
}

/**
 * A module that uses constructs outside the supported subset (docs/ts-to-cue.md); nothing is
 * emitted.
 */
export interface FailedCueCompilation {
  /** Discriminates failure from {@link CompiledCueModule}. */
  readonly ok: false;
  /** Every problem found, each with file:line:col. */
  readonly issues: readonly TsToCueIssue[];
}

/** What `compileModuleToCue` returns: the emitted files, or every problem found. */
export type CueCompilation = CompiledCueModule | FailedCueCompilation;

const CORE_MODULE = "opmodel.dev/core@v0";

/**
 * A ts-morph project set up to read module code as the repository compiles it (NodeNext, `.ts`
 * imports, the `@opm/source` condition so `@opm/sdk/*` imports resolve to source). Share one
 * across compilations: type information is what finds the builders, and it is built once.
 */
export function createCompilerProject(): Project {
  return new Project({
    compilerOptions: {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2023,
      allowImportingTsExtensions: true,
      // An installed @opm/sdk is read through its .d.ts files and the .js beside them (builders.ts).
      allowJs: true,
      customConditions: ["@opm/source"],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    },
  });
}

function sourceFileOf(input: SourceFile | string, options: CompileToCueOptions): SourceFile {
  if (typeof input !== "string") return input;
  const project = options.project ?? createCompilerProject();
  return project.getSourceFile(input) ?? project.addSourceFileAtPath(input);
}

/** The object literal given to `export default defineModule({...})`. */
function moduleObject(file: SourceFile, resolver: BuilderResolver): Node | undefined {
  let expression: Node | undefined = file.getExportAssignment((e) => !e.isExportEquals())?.getExpression();
  if (Node.isIdentifier(expression)) {
    const declaration = resolver.declarationOf(expression);
    expression = Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
  }
  if (!Node.isCallExpression(expression)) return undefined;
  const callee = expression.getExpression();
  if (resolver.builderOf(callee)?.kind !== "defineModule") return undefined;
  const init = expression.getArguments()[0];
  return Node.isObjectLiteralExpression(init) ? init : undefined;
}

function packageNameOf(moduleName: string): string {
  const name = moduleName.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[A-Za-z]/.test(name) ? name : `m_${name}`;
}

function isStatic(expr: CueExpr): boolean {
  switch (expr.t) {
    case "lit":
      return true;
    case "struct":
      return expr.decls.every(
        (d) => d.d === "comment" || (d.d === "field" && typeof d.key === "string" && isStatic(d.value)),
      );
    case "list":
      return expr.items.every((i) => i.d === "embed" && isStatic(i.value));
    default:
      return false;
  }
}

function literalString(expr: CueExpr | undefined): string | undefined {
  return expr?.t === "lit" && typeof expr.value === "string" ? expr.value : undefined;
}

/**
 * Compiles a TS module to a CUE module.
 *
 * When to use: publishing a TS module for CUE users, or checking it through the CUE path.
 *
 * Details: reads only the supported subset (docs/ts-to-cue.md); every construct outside it is
 * reported with file:line:col, all at once, in `issues`.
 *
 * Example:
 * ```ts
 * const result = await compileModuleToCue("examples/blog/blog.opm.ts", { format: (s) => engine.format(s) });
 * if (result.ok) await writeFiles(outDir, result.files);
 * ```
 */
export async function compileModuleToCue(
  input: SourceFile | string,
  options: CompileToCueOptions = {},
): Promise<CueCompilation> {
  const file = sourceFileOf(input, options);
  const sink = new IssueSink();
  const imports = new ImportSet();
  const resolver = new BuilderResolver(imports);
  const evaluator = new Evaluator(sink, imports, resolver);
  const init = moduleObject(file, resolver);
  if (!Node.isObjectLiteralExpression(init)) {
    sink.report(file, "no `export default defineModule({...})` found", "TsNoModule");
    return { ok: false, issues: sink.issues };
  }
  const property = (name: string): Node | undefined => {
    const found = init.getProperty(name);
    if (Node.isPropertyAssignment(found)) return found.getInitializerOrThrow();
    if (Node.isShorthandPropertyAssignment(found)) return found.getNameNode();
    if (Node.isMethodDeclaration(found)) return found;
    return undefined;
  };
  const guarded = <T>(work: () => T): T | undefined => {
    try {
      return work();
    } catch (error) {
      evaluator.recover(error);
      return undefined;
    }
  };
  const staticValue = (name: string): CueExpr | undefined =>
    guarded(() => {
      const node = property(name);
      if (node === undefined)
        throw new UnsupportedConstruct(init, `defineModule needs ${name}`, "TsNoModule");
      const value = evaluator.expr(node, new Env());
      if (!isStatic(value))
        throw new UnsupportedConstruct(node, `${name} must be known without config`, "TsNotStatic");
      return value;
    });

  const metadata = staticValue("metadata");
  const values = staticValue("values");
  const configNode = property("config");
  const config =
    configNode === undefined ? undefined : guarded(() => new ZodToCue(evaluator).config(configNode));
  const components = guarded(() => compileComponents(evaluator, property("components"), init));
  const policiesNode = property("policies");
  const policies =
    policiesNode === undefined ? undefined : guarded(() => compilePolicies(evaluator, policiesNode));
  const metadataDecls = metadata?.t === "struct" ? metadata.decls : [];
  const field = (name: string): CueExpr | undefined =>
    metadataDecls.find((d): d is StructDecl & { d: "field" } => d.d === "field" && d.key === name)?.value;
  const apiVersion = literalString(field("apiVersion"));
  const name = literalString(field("name"));
  if (metadata !== undefined && (apiVersion === undefined || name === undefined)) {
    sink.report(property("metadata")!, "metadata needs apiVersion and name", "TsNotStatic");
  }
  if (sink.issues.length > 0 || apiVersion === undefined || name === undefined) {
    return { ok: false, issues: sink.issues };
  }

  const core = imports.use(CORE_MODULE);
  const packageName = packageNameOf(name);
  const body: StructDecl[] = [
    { d: "embed", value: ref(`${core}.#Module`) },
    { d: "field", key: "metadata", value: metadata! },
    { d: "field", key: "#config", value: config ?? struct([]), definition: true },
    { d: "field", key: "values", value: values ?? struct([]) },
    { d: "field", key: "#components", value: components ?? struct([]), definition: true },
  ];
  if (policies !== undefined) body.push({ d: "field", key: "#policies", value: policies, definition: true });
  const header = `// Generated from ${file.getBaseName()} by the OPM TS -> CUE compiler.\npackage ${packageName}\n\n`;
  const declarations = body.map((decl) => printDecls([decl], "")).join("\n\n");
  const moduleSource = `${header}${imports.clause()}\n${declarations}\n`;
  const modulePath = options.modulePath ?? apiVersion;
  const dependencies = imports.dependencies();
  const version = options.catalogVersion ?? "v0.1.0";
  const deps = dependencies.map((d) => `\t${quote(d)}: v: ${quote(version)}`).join("\n");
  const moduleFile =
    `module: ${quote(modulePath)}\nlanguage: version: ${quote(options.languageVersion ?? "v0.15.0")}\n` +
    `source: kind: "self"\n${dependencies.length > 0 ? `deps: {\n${deps}\n}\n` : ""}`;
  const format = options.format ?? ((source: string) => Promise.resolve(source));
  return {
    ok: true,
    files: { "cue.mod/module.cue": await format(moduleFile), "module.cue": await format(moduleSource) },
    modulePath,
    packageName,
    dependencies,
  };
}

/** `policies: { key: policy(...) }`: static (they cannot depend on config), keyed like components. */
function compilePolicies(evaluator: Evaluator, node: Node): CueExpr {
  const value = evaluator.expr(node, new Env());
  if (value.t !== "struct")
    throw new UnsupportedConstruct(node, "policies must be an object of policy(...) calls");
  // As in TS, a policy without a name is named after its key (CUE's #Policy requires a name).
  return struct(value.decls.map((decl) => (decl.d === "field" ? namedPolicy(decl) : decl)));
}

function namedPolicy(decl: StructDecl & { d: "field" }): StructDecl {
  if (typeof decl.key !== "string" || decl.value.t !== "struct") return decl;
  const metadata = decl.value.decls.find((d) => d.d === "field" && d.key === "metadata");
  const metadataDecls = metadata?.d === "field" && metadata.value.t === "struct" ? metadata.value.decls : [];
  if (metadataDecls.some((d) => d.d === "field" && d.key === "name")) return decl;
  const withName: StructDecl = {
    d: "field",
    key: "metadata",
    value: struct([{ d: "field", key: "name", value: lit(decl.key) }, ...metadataDecls]),
  };
  const rest = decl.value.decls.filter((d) => d !== metadata);
  const mixins = rest.filter((d) => d.d === "embed");
  return { ...decl, value: struct([...mixins, withName, ...rest.filter((d) => d.d !== "embed")]) };
}

/** `components: (config) => ({...})`: evaluated with the parameter bound to `#config`. */
function compileComponents(evaluator: Evaluator, node: Node | undefined, init: Node): CueExpr {
  if (node === undefined) throw new UnsupportedConstruct(init, "defineModule needs components", "TsNoModule");
  const fn = Node.isMethodDeclaration(node)
    ? { t: "fn" as const, node, env: new Env() }
    : evaluator.evaluate(node, new Env());
  if (fn.t !== "fn") throw new UnsupportedConstruct(node, "components must be a function of the config");
  const fnNode = fn.node;
  if (
    !Node.isArrowFunction(fnNode) &&
    !Node.isFunctionExpression(fnNode) &&
    !Node.isFunctionDeclaration(fnNode) &&
    !Node.isMethodDeclaration(fnNode)
  ) {
    throw new UnsupportedConstruct(node, "components must be a function of the config");
  }
  const env = new Env(fn.env);
  const parameter = fnNode.getParameters()[0];
  if (parameter !== undefined) bindConfig(evaluator, parameter.getNameNode(), env);
  const body = fnNode.getBody();
  if (body === undefined) throw new UnsupportedConstruct(node, "components needs a body");
  const result = Node.isBlock(body) ? evaluateBlock(evaluator, body, env) : evaluator.evaluate(body, env);
  if (!isCueExpr(result) || result.t !== "struct")
    throw new UnsupportedConstruct(body, "components must return an object of components");
  return result;
}

function bindConfig(evaluator: Evaluator, name: Node, env: Env): void {
  if (Node.isIdentifier(name)) env.bind(name.getText(), ref("#config"));
  else if (Node.isObjectBindingPattern(name)) {
    for (const element of name.getElements()) {
      const key = element.getPropertyNameNode()?.getText() ?? element.getName();
      env.bind(element.getName(), evaluator.access(element, ref("#config"), lit(key)));
    }
  } else throw new UnsupportedConstruct(name, "bind the config to a name or an object pattern");
}
