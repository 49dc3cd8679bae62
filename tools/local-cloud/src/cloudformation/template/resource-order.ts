import { TemplateError } from './errors';
import type { CloudFormationTemplate } from './types';

function references(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) references(item, found);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, argument] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'Ref' && typeof argument === 'string') found.add(argument);
    else if (key === 'Fn::GetAtt') {
      const target =
        typeof argument === 'string'
          ? argument.split('.')[0]
          : Array.isArray(argument)
            ? argument[0]
            : undefined;
      if (typeof target === 'string') found.add(target);
    } else if (key === 'Fn::Sub') {
      const text = typeof argument === 'string' ? argument : Array.isArray(argument) ? argument[0] : '';
      for (const match of String(text).matchAll(/\$\{([^!}][^}.]*)[^}]*\}/g)) found.add(match[1] as string);
      if (Array.isArray(argument)) references(argument[1], found);
    } else references(argument, found);
  }
}

/**
 * Resources in creation order: every resource after what it refers to (Ref, Fn::GetAtt, Fn::Sub) and
 * what it DependsOn. A cycle or a reference to an unknown logical id is an error naming it.
 */
export function resourceOrder(template: CloudFormationTemplate): string[] {
  const resources = template.Resources;
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (logicalId: string, chain: string[]): void => {
    if (state.get(logicalId) === 'done') return;
    if (state.get(logicalId) === 'visiting') {
      throw new TemplateError(
        `Circular dependency between resources: ${[...chain, logicalId].join(' -> ')}`,
        `Resources.${logicalId}`,
      );
    }
    state.set(logicalId, 'visiting');
    const resource = resources[logicalId];
    const found = new Set<string>();
    references(resource?.Properties, found);
    const dependsOn = resource?.DependsOn === undefined ? [] : ([] as string[]).concat(resource.DependsOn);
    for (const dependency of [...found, ...dependsOn]) {
      if (dependency.startsWith('AWS::') || parameters.has(dependency)) continue;
      if (!resources[dependency])
        throw new TemplateError(`Unresolved resource dependency ${dependency}`, `Resources.${logicalId}`);
      visit(dependency, [...chain, logicalId]);
    }
    state.set(logicalId, 'done');
    order.push(logicalId);
  };
  for (const logicalId of Object.keys(resources)) visit(logicalId, []);
  return order;
}
