// The public façade of `@opm/sdk`: named exports only (no `export *`), so the public surface is
// reviewed here. Internals import each other by relative path, never through this file.
export { VERSION } from "./version.ts";

export {
  ErrorCodes,
  errorCodeEntry,
  stageOf,
  type ErrorCategory,
  type ErrorCode,
  type ErrorCodeKey,
  type RenderStage,
} from "./error-codes.ts";
export {
  OpmError,
  isOpmError,
  formatLocation,
  ok,
  fail,
  type OpmErrorInit,
  type OpmWarning,
  type Result,
  type SourceLocation,
} from "./errors.ts";

export { brand, type IrKind } from "./ir/brand.ts";
export {
  isBlueprint,
  isInterface,
  isPolicyRule,
  isResource,
  isTrait,
  type BlueprintDef,
  type Definition,
  type DefinitionMetadata,
  type EnforcementMode,
  type InterfaceDef,
  type LabelValue,
  type Labels,
  type PolicyRuleDef,
  type ResourceDef,
  type SpecSchema,
  type TraitDef,
  type ViolationAction,
} from "./ir/definitions.ts";
export { isComponent, type Component, type ComponentMetadata, type Provision } from "./ir/component.ts";
export {
  isModule,
  isModuleRelease,
  isPolicy,
  type ComponentsFactory,
  type ConfigCheck,
  type ConfigSchema,
  type InterfaceBindings,
  type Module,
  type ModuleMetadata,
  type ModuleRelease,
  type ModuleReleaseMetadata,
  type Policy,
  type ValuesIssue,
} from "./ir/module.ts";
export {
  isProvider,
  isTransformer,
  isTransformerContext,
  type ComponentMatcher,
  type MatchVerdict,
  type PlatformObject,
  type Provider,
  type ProviderMetadata,
  type TransformOutput,
  type Transformer,
  type TransformerContext,
  type TransformerMetadata,
} from "./ir/transformer.ts";

export {
  API_VERSION_PATTERN,
  FQN_PATTERN,
  NAME_PATTERN,
  UUID_PATTERN,
  VERSION_PATTERN,
  checkApiVersion,
  checkFqn,
  checkLabel,
  checkName,
  checkVersion,
  fqnOf,
  kebabToPascal,
  parseFqn,
  specKeyOf,
  type ParsedFqn,
} from "./identity/names.ts";
export { OPM_NAMESPACE, moduleIdentity, releaseIdentity, uuidV5 } from "./identity/uuid.ts";
export {
  LabelKeys,
  MANAGED_BY,
  TRANSFORMER_LABEL_PREFIX,
  componentNameLabel,
  controllerLabels,
  moduleLabels,
  releaseLabels,
  selectorLabels,
  stringifyLabels,
  unionLabels,
  withoutTransformerKeys,
  type LabelSource,
} from "./identity/labels.ts";

export { plan, render, type PlanResult, type RenderOptions, type RenderResult } from "./render/render.ts";
export type {
  PolicyCheck,
  PolicyCheckInput,
  PolicyRenderInput,
  PolicyRuleImplementation,
  PolicyViolation,
} from "./ir/policy.ts";
export type { PolicyRuleResult, PolicySource, PolicyViolationRecord } from "./render/policies.ts";
export type { RenderedObject } from "./render/execute.ts";
export {
  handledResourcesOf,
  matchComponents,
  matchRequirements,
  type ComponentMatch,
  type MatchDecision,
  type MatchOptions,
  type MatchPlan,
  type MissingRequirements,
} from "./render/match.ts";
export { buildRelease, resolveNamespace, FALLBACK_NAMESPACE, type ReleaseOptions } from "./render/release.ts";
export { expandComponent } from "./render/expand.ts";
export { locateComponentInSource } from "./render/locate-component.ts";
export { CONFIG_SECRETS_COMPONENT } from "./render/config-secrets.ts";
export {
  type ExternalProvision,
  type InterfaceWire,
  type ProvidedInterface,
  type WiringPlan,
} from "./render/interfaces.ts";
export {
  PROVIDES_COMPONENT,
  PROVIDES_LABEL,
  provisionsFromConfigMaps,
  type ProvisionsConfigMap,
} from "./render/provisions.ts";
export {
  findSecrets,
  groupSecrets,
  isSecretValue,
  secretHashText,
  secretKeyOf,
  secretVariant,
  type FoundSecret,
  type SecretESORef,
  type SecretGroups,
  type SecretK8sRef,
  type SecretLiteral,
  type SecretValue,
  type SecretVariant,
} from "./values/secrets.ts";
export { buildContext, type NamingMode } from "./render/context.ts";
export {
  OBJECT_PATCH_API_VERSION,
  OBJECT_PATCH_KIND,
  patchObject,
  type ObjectPatch,
  type PatchType,
} from "./render/patch.ts";
export { DEFAULT_WEIGHT, compareObjects, weightOf } from "./render/order.ts";
export {
  planStages,
  type ApplyStage,
  type ComponentDependency,
  type StageInput,
  type StageOptions,
  type StagePlan,
  type StageReason,
  type StageResult,
  type StagedObject,
} from "./render/stages.ts";
export { describeObject, groupOf, objectKey, refOf, versionOf, type ObjectRef } from "./identity/objects.ts";

export {
  layerValues,
  locateValue,
  validateValues,
  type LayeredValues,
  type ValuesInput,
} from "./values/layer.ts";
export {
  parseSetExpression,
  SET_FLAGS,
  type SetExpression,
  type SetFlag,
  type SetInput,
} from "./values/set.ts";
export { checkValuesData } from "./values/check.ts";
export {
  formatValuesPath,
  parseValuesSource,
  type DataValuesSource,
  type ParsedValues,
  type TextValuesSource,
  type ValuesPath,
  type ValuesSource,
} from "./values/sources.ts";
export { formatManifests, type ManifestFormat } from "./render/format.ts";
