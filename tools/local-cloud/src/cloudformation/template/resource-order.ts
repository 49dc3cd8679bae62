import { CircularDependencyError, TemplateError, UnresolvedReferenceError } from './errors';
import { propertyPath } from './paths';
import { referencedNames } from './resource-references';
import type { CloudFormationTemplate, TemplateResource } from './types';

const RESOURCES_SECTION = 'Resources';

function dependsOnList(logicalId: string, resource: TemplateResource): string[] {
  const dependsOn = resource.DependsOn ?? [];
  const list = Array.isArray(dependsOn) ? dependsOn : [dependsOn];
  if (list.every((name) => typeof name === 'string')) return list;
  const at = propertyPath(propertyPath(RESOURCES_SECTION, logicalId), 'DependsOn');
  throw new TemplateError(`DependsOn of ${logicalId} must be a logical id or a list of them`, at);
}

/** The resources `logicalId` must come after; a name that is neither a resource nor a parameter is an error. */
function dependencies(logicalId: string, template: CloudFormationTemplate): string[] {
  const resource = template.Resources[logicalId] as TemplateResource;
  const resourceAt = propertyPath(RESOURCES_SECTION, logicalId);
  const referenced = referencedNames(resource.Properties).map((name) => ({
    name,
    at: propertyPath(resourceAt, 'Properties'),
  }));
  const declared = dependsOnList(logicalId, resource).map((name) => ({
    name,
    at: propertyPath(resourceAt, 'DependsOn'),
  }));
  const parameters = template.Parameters ?? {};
  const found = new Set<string>();
  for (const { name, at } of [...declared, ...referenced]) {
    if (Object.hasOwn(template.Resources, name)) found.add(name);
    else if (!Object.hasOwn(parameters, name)) {
      // CloudFormation's own wording (ValidateTemplate).
      throw new UnresolvedReferenceError(
        name,
        `Unresolved resource dependencies [${name}] in the Resources block of the template`,
        at,
      );
    }
  }
  return [...found];
}

/**
 * Logical ids in an order to create them in: each resource after every resource it refers to (Ref,
 * Fn::GetAtt, Fn::Sub) or names in DependsOn. Independent resources keep their template order.
 * References to unknown logical ids and dependency loops are errors naming them.
 *
 * @example
 * for (const logicalId of resourceOrder(template)) create(logicalId);
 */
export function resourceOrder(template: CloudFormationTemplate): string[] {
  if (!template.Resources || typeof template.Resources !== 'object') {
    throw new TemplateError('The template has no Resources section', RESOURCES_SECTION);
  }
  const order: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];

  const visit = (logicalId: string): void => {
    if (done.has(logicalId)) return;
    const loopStart = path.indexOf(logicalId);
    if (loopStart >= 0) {
      throw new CircularDependencyError(path.slice(loopStart), propertyPath(RESOURCES_SECTION, logicalId));
    }
    path.push(logicalId);
    for (const dependency of dependencies(logicalId, template)) visit(dependency);
    path.pop();
    done.add(logicalId);
    order.push(logicalId);
  };

  for (const logicalId of Object.keys(template.Resources)) visit(logicalId);
  return order;
}
