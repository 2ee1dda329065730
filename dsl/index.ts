// The public entry of `@opm/sdk/dsl`: builders for authoring OPM in TypeScript. Named exports
// only. The Node module host (file system, esbuild) is deliberately not exported here, so a
// `*.opm.ts` module importing the dsl loads no bundler; the CLI imports dsl/node-host.ts.
export { defineModule, type ModuleInit, type ModuleMetadataInit, type TsModule } from "./module.ts";
export {
  component,
  workloadType,
  isComponentDraft,
  toComponent,
  WORKLOAD_TYPE_LABEL,
  type ComponentDraft,
  type ComponentMetadataInit,
  type MergedSpec,
  type WorkloadType,
} from "./component.ts";
export {
  defineBlueprint,
  definePolicyRule,
  defineResource,
  defineTrait,
  type Blueprint,
  type DefinitionMetadataInit,
  type PolicyRule,
  type Resource,
  type SpecOf,
  type Trait,
} from "./definitions.ts";
export {
  isComponentPart,
  labelsPart,
  partBuilder,
  partOf,
  type ComponentPart,
  type PartBuilder,
  type PartExtras,
} from "./parts.ts";
export { policy, rule, type PolicyDraft, type PolicyInit, type PolicyRulePart } from "./policy.ts";
export { defineProvider, defineTransformer, type ProviderInit, type TransformerInit } from "./transformer.ts";
export {
  compileTypeScript,
  loadModule,
  loadTypeScript,
  type BundleFailure,
  type BundleResult,
  type CompiledTypeScript,
  type LoadedModule,
  type LoadedTypeScript,
  type ModuleHost,
} from "./loader.ts";
export { keyNamed, type KeyNamed } from "./key-named.ts";
export {
  defineInterface,
  isRequiringDraft,
  provides,
  requiring,
  type GivenOf,
  type Interface,
  type InterfaceInit,
  type ProvisionOf,
  type Required,
  type RequiringDraft,
  type ShapeOf,
} from "./interface.ts";
export { secret, type SecretOptions } from "./secret.ts";
export { z } from "./zod.ts";
export type { KebabToPascal, SpecKeyOf } from "./names.ts";
export {
  compileModuleToCue,
  createCompilerProject,
  formatIssue,
  type CompileToCueOptions,
  type CompiledCueModule,
  type CueCompilation,
  type FailedCueCompilation,
  type TsToCueCode,
  type TsToCueIssue,
  type TsToCueProblem,
} from "./compile/index.ts";
