import { conditionLookup } from './condition-lookup';
import { UnresolvedReferenceError } from './errors';
import { propertyPath } from './paths';
import { resourceOrder } from './resource-order';
import type { CloudFormationTemplate } from './types';

/**
 * Whether a resource is to be created: true unless its Condition evaluated to false. A condition name the
 * Conditions section does not define is an error.
 *
 * @example
 * if (!shouldCreateResource(template, logicalId, conditions)) continue;
 */
export function shouldCreateResource(
  template: CloudFormationTemplate,
  logicalId: string,
  conditions: Record<string, boolean>,
): boolean {
  const at = propertyPath('Resources', logicalId);
  const resource = Object.hasOwn(template.Resources, logicalId) ? template.Resources[logicalId] : undefined;
  if (!resource)
    throw new UnresolvedReferenceError(logicalId, `${logicalId} is not a resource of this template`, at);
  return (
    resource.Condition === undefined ||
    conditionLookup(conditions)(resource.Condition, propertyPath(at, 'Condition'))
  );
}

/** `resourceOrder` without the resources whose Condition is false: what the deployer creates, in order. */
export function resourcesToCreate(
  template: CloudFormationTemplate,
  conditions: Record<string, boolean>,
): string[] {
  return resourceOrder(template).filter((logicalId) => shouldCreateResource(template, logicalId, conditions));
}
