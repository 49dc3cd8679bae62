import { UnresolvedReferenceError } from './errors';
import type { Scope } from './scope';

/** Why `logicalId` has no physical id: the message a user needs to fix the template or the deploy order. */
function notCreatedReason(logicalId: string, scope: Scope): string {
  const resources = scope.template?.Resources;
  if (!resources) return `${logicalId} is not a parameter or a created resource`;
  const resource = Object.hasOwn(resources, logicalId) ? resources[logicalId] : undefined;
  if (!resource) return `${logicalId} is not a parameter or a resource of this template`;
  if (resource.Condition !== undefined && !scope.condition(resource.Condition, `Resources.${logicalId}`)) {
    return `Resource ${logicalId} is not created: its condition ${resource.Condition} is false`;
  }
  return `Resource ${logicalId} is not created yet`;
}

function checkVisible(logicalId: string, scope: Scope, at: string): void {
  if (scope.resourcesVisible) return;
  throw new UnresolvedReferenceError(
    logicalId,
    `Conditions can refer to parameters and pseudo parameters only, not to ${logicalId}`,
    at,
  );
}

/** What `Ref` of a resource gives: its physical id, which the deployer recorded when it created it. */
export function resourcePhysicalId(logicalId: string, scope: Scope, at: string): string {
  checkVisible(logicalId, scope, at);
  const physicalId = scope.ctx.ref(logicalId);
  if (physicalId === undefined) {
    throw new UnresolvedReferenceError(logicalId, `Ref: ${notCreatedReason(logicalId, scope)}`, at);
  }
  return physicalId;
}

/** What `Fn::GetAtt` gives: an attribute the deployer recorded when it created the resource. */
export function resourceAttribute(logicalId: string, attribute: string, scope: Scope, at: string): unknown {
  checkVisible(logicalId, scope, at);
  const value = scope.ctx.getAtt(logicalId, attribute);
  if (value !== undefined) return value;
  if (scope.ctx.ref(logicalId) === undefined) {
    throw new UnresolvedReferenceError(logicalId, `Fn::GetAtt: ${notCreatedReason(logicalId, scope)}`, at);
  }
  const type = scope.template?.Resources[logicalId]?.Type;
  throw new UnresolvedReferenceError(
    logicalId,
    `Fn::GetAtt: resource ${logicalId}${type ? ` (${type})` : ''} has no attribute ${attribute}`,
    at,
  );
}
