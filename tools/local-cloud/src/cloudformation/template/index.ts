export { TemplateError } from './errors';
export { evaluateConditions, resolveOutputs, resolveValue } from './resolve';
export { resourceOrder } from './resource-order';
export type { CloudFormationTemplate, ResolutionContext, TemplateOutput, TemplateResource } from './types';
