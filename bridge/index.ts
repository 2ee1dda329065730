// The public entry of `@opm/sdk/bridge`: named exports only.
export { createCueEngine } from "./create.ts";
export type { EngineAnswerCache } from "./answer-cache.ts";
export type {
  CompileOptions,
  CueEngine,
  CueEngineOptions,
  EngineKind,
  FieldsOptions,
  FillWith,
  FromJSONSchemaOptions,
  LoadModuleOptions,
  LoadOptions,
  LoadedInstance,
  LoadedModule,
  ModuleComponentsOptions,
  ModulePoliciesOptions,
  OpenAPIOptions,
  OutputOptions,
  RequestOptions,
  SourceOutputOptions,
  ValidateOptions,
  ValidationReport,
} from "./engine.ts";
export {
  CueEngineError,
  describeCueIssues,
  isCueEngineError,
  type ClientErrorCode,
  type CueEngineErrorCode,
  type CueEngineErrorInit,
} from "./errors.ts";
export { CueValue, isCueValue } from "./value.ts";
export {
  PROTOCOL_VERSION,
  type CatalogResult,
  type CueFieldInfo,
  type CueIssue,
  type CuePosition,
  type EngineErrorCode,
  type JsonValue,
  type PingResult,
  type ValuePosition,
  type VersionResult,
} from "./protocol.ts";
export type { HostFetch } from "./wasm.ts";
export { loadCueModule, type CueModuleOptions, type LoadedCueModule } from "./module/load.ts";
export {
  cueProvider,
  loadCueProvider,
  type CueProviderOptions,
  type LoadCueProviderOptions,
} from "./transformers/provider.ts";
export { cueTransformer, type CueTransformerParts } from "./transformers/transformer.ts";
export { cueValuesSource, type CueValuesFile } from "./module/values.ts";
export {
  BindingsError,
  generateBindings,
  type BindingsErrorCode,
  type BindingsOptions,
} from "./codegen/index.ts";
