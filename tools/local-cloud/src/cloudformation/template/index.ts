export {
  CircularDependencyError,
  ConditionError,
  InvalidFunctionArgumentError,
  MissingExportError,
  ParameterValueError,
  TemplateError,
  UnresolvedReferenceError,
  UnsupportedFunctionError,
} from './errors';
export { evaluateConditions } from './evaluate-conditions';
export { resolveOutputs } from './resolve-outputs';
export { resolveValue } from './resolve-value';
export { resourceOrder } from './resource-order';
export { resourcesToCreate, shouldCreateResource } from './resources-to-create';
export type {
  CloudFormationTemplate,
  ResolutionContext,
  ResolvedOutput,
  TemplateOutput,
  TemplateParameter,
  TemplateResource,
} from './types';
